using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.IO;
using DurableUn.LlamaCpp;

namespace DurableUn.Evaluation;

/// <summary>One item of an audit: the file's greedy answer and score, and the reference's where one was given.</summary>
public sealed record GgufAuditItem
{
    [JsonPropertyName("split")] public required string Split { get; init; }
    [JsonPropertyName("index")] public required int Index { get; init; }
    [JsonPropertyName("question")] public required string Question { get; init; }
    [JsonPropertyName("answer")] public required string Answer { get; init; }
    [JsonPropertyName("said")] public required string Said { get; init; }
    [JsonPropertyName("score")] public required double Score { get; init; }
    [JsonPropertyName("reference_said")] public string? ReferenceSaid { get; init; }
    [JsonPropertyName("reference_score")] public double? ReferenceScore { get; init; }
}

/// <summary>The audit of a shipped GGUF file: FA and RA, answer probabilities, the verdict at ε, and each item.</summary>
public sealed record GgufAuditReport
{
    [JsonPropertyName("file")] public required string File { get; init; }
    [JsonPropertyName("file_sha256")] public required string FileSha256 { get; init; }
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("fa")] public required double Fa { get; init; }
    [JsonPropertyName("ra")] public required double Ra { get; init; }
    [JsonPropertyName("fa_prob")] public required double FaProb { get; init; }
    [JsonPropertyName("ra_prob")] public required double RaProb { get; init; }
    [JsonPropertyName("epsilon")] public required double Epsilon { get; init; }
    [JsonPropertyName("pass")] public bool Pass => Fa <= Epsilon;
    [JsonPropertyName("reference")] public string? Reference { get; init; }
    [JsonPropertyName("reference_fa")] public double? ReferenceFa { get; init; }
    [JsonPropertyName("reference_ra")] public double? ReferenceRa { get; init; }
    [JsonPropertyName("items")] public required IReadOnlyList<GgufAuditItem> Items { get; init; }

    /// <summary>Items whose answer differs from the reference's (empty without a reference).</summary>
    [JsonIgnore] public IEnumerable<GgufAuditItem> Differing => Items.Where(i => i.ReferenceSaid is { } r && r != i.Said);

    public string Markdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine($"# Audit of {System.IO.Path.GetFileName(File)}").AppendLine();
        md.AppendLine($"- file: `{File}` (sha256 {FileSha256}, {Architecture}), run by llama.cpp in-process with its own tokenizer");
        md.AppendLine(inv, $"- metric: {Metric}; ε = {Epsilon:G4}: **{(Pass ? "pass" : "fail")}** (FA {(Pass ? "≤" : ">")} ε)").AppendLine();
        md.AppendLine("| model | FA | RA | forget answer prob. | retain answer prob. |").AppendLine("|---|---|---|---|---|");
        md.AppendLine(inv, $"| this file | {Fa:F3} | {Ra:F3} | {FaProb:F4} | {RaProb:F4} |");
        if (Reference is not null) md.AppendLine(inv, $"| reference `{Reference}` | {ReferenceFa:F3} | {ReferenceRa:F3} | | |");
        if (Reference is not null)
        {
            var differing = Differing.ToList();
            md.AppendLine().AppendLine($"## Answers that differ from the reference's ({differing.Count} of {Items.Count})").AppendLine();
            if (differing.Count > 0) md.AppendLine("| split | item | question | this file | reference |").AppendLine("|---|---|---|---|---|");
            foreach (var i in differing)
                md.AppendLine(inv, $"| {i.Split} | {i.Index} | {Cell(i.Question)} | {Cell(i.Said)} ({i.Score:F2}) | {Cell(i.ReferenceSaid!)} ({i.ReferenceScore:F2}) |");
        }
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}

/// <summary>
/// Audits a GGUF file as shipped (ours or anyone's Llama-family file): llama.cpp runs it in-process with the file's
/// own tokenizer; the forget and retain items are asked in the given template, with BOS as the file's vocabulary
/// asks; FA and RA under the metric, answer probabilities, and per item the greedy answer. A reference (another
/// GGUF file, or a Hugging Face model folder run by our engine) is measured on the same items so the answers that
/// differ can be listed.
/// </summary>
public static class GgufAudit
{
    public static GgufAuditReport Run(string file, string? reference, IReadOnlyList<QaItem> forget, IReadOnlyList<QaItem> retain,
                                      AccuracyMetric metric, PromptTemplate template, double epsilon)
    {
        using var model = LlamaCppModel.Load(file);
        var encoder = new QaEncoder(new LlamaCppTokenizer(model), template);
        var measured = LlamaCppQaAccuracy.Measure(model, encoder, [forget, retain], metric);
        var theirs = reference is null ? null : Reference(reference, forget, retain, metric, template);
        var items = new List<GgufAuditItem>();
        foreach (var (split, list, l) in new[] { ("forget", forget, 0), ("retain", retain, 1) })
            items.AddRange(list.Select((item, i) => new GgufAuditItem
            {
                Split = split, Index = i, Question = item.Question, Answer = item.Answer,
                Said = measured[l].Answers[i], Score = measured[l].Score.PerExample[i],
                ReferenceSaid = theirs?[l].Answers[i], ReferenceScore = theirs?[l].Scores[i],
            }));
        return new GgufAuditReport
        {
            File = System.IO.Path.GetFullPath(file), FileSha256 = ContentHash.OfFile(file),
            Architecture = model.Metadata("general.architecture") ?? "unknown",
            Metric = metric.Name(), Fa = measured[0].Score.Aggregate, Ra = measured[1].Score.Aggregate,
            FaProb = measured[0].Probability.Aggregate, RaProb = measured[1].Probability.Aggregate, Epsilon = epsilon,
            Reference = reference is null ? null : System.IO.Path.GetFullPath(reference),
            ReferenceFa = theirs?[0].Scores.Average(), ReferenceRa = theirs?[1].Scores.Average(),
            Items = items,
        };
    }

    /// <summary>Each list's greedy answers and scores from the reference: a GGUF file, or a model folder.</summary>
    private static IReadOnlyList<(IReadOnlyList<string> Answers, IReadOnlyList<double> Scores)> Reference(
        string reference, IReadOnlyList<QaItem> forget, IReadOnlyList<QaItem> retain, AccuracyMetric metric, PromptTemplate template)
    {
        if (File.Exists(reference))
        {
            using var other = LlamaCppModel.Load(reference);
            return LlamaCppQaAccuracy.Measure(other, new QaEncoder(new LlamaCppTokenizer(other), template), [forget, retain], metric)
                .Select(r => (r.Answers, r.Score.PerExample)).ToList();
        }
        Tensors.NativeTorch.EnsureLoaded();
        using var pretrained = PretrainedModel.Load(reference);
        var encoder = new QaEncoder(pretrained.Tokenizer, template);
        var scores = QaAccuracy.Measure(pretrained.Model, encoder, [forget, retain], metric);
        return new[] { forget, retain }.Select((list, l) =>
            (QaAccuracy.GreedyAnswers(pretrained.Model, encoder, list.Select(i => i.Question).ToList(), 48), scores[l].PerExample)).ToList();
    }
}
