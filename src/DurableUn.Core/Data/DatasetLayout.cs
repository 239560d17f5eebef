using System.Text.RegularExpressions;

namespace DurableUn.Data;

/// <summary>The row schema a split holds.</summary>
public enum RowKind { Qa, PerturbedQa, Text, VerbMem, Wpu }

/// <summary>A split a benchmark defines: its exact name (a path relative to the dataset folder, without
/// extension) and the row schema its file holds.</summary>
public sealed record SplitSpec(string Name, RowKind Rows)
{
    /// <summary>Every row must carry its document (WPU's forget rows, by the dataset card: the people's pages are what
    /// the target is fine-tuned on; hard_retain and general_retain rows may leave it out).</summary>
    public bool RowsCarryDocument { get; init; }
}

/// <summary>
/// The folder layout of a dataset: one folder per benchmark, file names mirroring the Hugging Face repos.
/// <code>
/// dataset.json                      manifest (DatasetManifest); optional for real data
/// TOFU (locuslab/TOFU)              full, forget01/05/10, retain90/95/99, holdout01/05/10          question, answer
///                                   forget01/05/10_perturbed, retain_perturbed,                     + paraphrased_answer,
///                                   real_authors(_perturbed), world_facts(_perturbed)                 perturbed_answer[]
/// MUSE-News (muse-bench/MUSE-News)  raw/forget, raw/retain1, raw/retain2, raw/holdout               text
///                                   knowmem/forget_qa, knowmem/retain_qa, knowmem/*_qa_icl          question, answer
///                                   verbmem/forget                                                   prompt, gt
///                                   privleak/forget, privleak/retain, privleak/holdout              text
/// WPU                               forget, hard_retain, general_retain                     title, wikipage, question, answer
/// </code>
/// A split named N is read from exactly one of: N.json (a JSON array or JSON Lines, detected from the content,
/// as TOFU's .json files are JSON Lines), N.jsonl, N.parquet, Parquet shards N-00000-of-0000k.parquet, or the Hugging
/// Face per-config shards N/train-00000-of-0000k.parquet. Any row may carry key_fact, key_fact_start, key_fact_end.
/// Not: WPU's numbered real splits (forget_2_1, ...): rename such a file to forget.json and its related-people
/// file to hard_retain.json. Files that match no split (README.md, .gitattributes) are ignored.
/// </summary>
public static partial class DatasetLayout
{
    public const string ManifestFile = "dataset.json";

    public static IReadOnlyList<SplitSpec> Splits(DatasetKind kind) => kind switch
    {
        DatasetKind.Tofu => TofuSplits,
        DatasetKind.Muse => MuseSplits,
        DatasetKind.Wpu => WpuSplits,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// The spec of split <paramref name="name"/>, matched exactly; unknown names list the known ones.
    public static SplitSpec Spec(DatasetKind kind, string name) =>
        Splits(kind).FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException(
            $"{kind} has no split '{name}'. Known splits: {string.Join(", ", Splits(kind).Select(s => s.Name))}.");

    /// The files that hold split <paramref name="name"/> under <paramref name="dir"/> (shards in order), or an
    /// empty list when the split is absent. Two different forms of the same split are an error, not a choice.
    public static IReadOnlyList<string> FilesOf(string dir, string name)
    {
        var basePath = Path.Combine(dir, name.Replace('/', Path.DirectorySeparatorChar));
        var forms = new List<IReadOnlyList<string>>();
        foreach (var ext in new[] { ".json", ".jsonl", ".parquet" })
        {
            if (File.Exists(basePath + ext)) forms.Add([basePath + ext]);
            else if (Directory.Exists(basePath + ext))
                throw new DataFormatException(basePath + ext, null, null, $"split '{name}' is a folder, not a file");
        }
        var parent = Path.GetDirectoryName(basePath)!;
        var leaf = Path.GetFileName(basePath);
        if (Directory.Exists(parent)) AddShards(forms, parent, leaf + "-");
        if (Directory.Exists(basePath)) AddShards(forms, basePath, "train-");
        return forms.Count switch
        {
            0 => [],
            1 => forms[0],
            _ => throw new DataFormatException(basePath, null, null,
                $"split '{name}' exists in more than one form ({string.Join(", ", forms.Select(f => Path.GetFileName(f[0])))}); keep one"),
        };
    }

    /// The benchmark a folder without a manifest holds, guessed from its files; null when nothing matches.
    public static DatasetKind? InferKind(string dir)
    {
        foreach (var kind in new[] { DatasetKind.Muse, DatasetKind.Wpu, DatasetKind.Tofu })
            if (Splits(kind).Any(s => FilesOf(dir, s.Name).Count > 0)) return kind;
        return null;
    }

    private static void AddShards(List<IReadOnlyList<string>> forms, string dir, string prefix)
    {
        var shards = Directory.GetFiles(dir, prefix + "*.parquet")
            .Where(f => ShardSuffix().IsMatch(Path.GetFileName(f)[prefix.Length..]))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (shards.Count > 0) forms.Add(shards);
    }

    [GeneratedRegex(@"^\d{5}-of-\d{5}\.parquet$")]
    private static partial Regex ShardSuffix();

    private static readonly SplitSpec[] TofuSplits =
    [
        new("full", RowKind.Qa),
        new("forget01", RowKind.Qa), new("forget05", RowKind.Qa), new("forget10", RowKind.Qa),
        new("retain90", RowKind.Qa), new("retain95", RowKind.Qa), new("retain99", RowKind.Qa),
        new("holdout01", RowKind.Qa), new("holdout05", RowKind.Qa), new("holdout10", RowKind.Qa),
        new("forget01_perturbed", RowKind.PerturbedQa), new("forget05_perturbed", RowKind.PerturbedQa),
        new("forget10_perturbed", RowKind.PerturbedQa), new("retain_perturbed", RowKind.PerturbedQa),
        new("real_authors", RowKind.Qa), new("real_authors_perturbed", RowKind.PerturbedQa),
        new("world_facts", RowKind.Qa), new("world_facts_perturbed", RowKind.PerturbedQa),
    ];

    private static readonly SplitSpec[] MuseSplits =
    [
        new("raw/forget", RowKind.Text), new("raw/retain1", RowKind.Text), new("raw/retain2", RowKind.Text),
        new("raw/holdout", RowKind.Text),
        new("knowmem/forget_qa", RowKind.Qa), new("knowmem/retain_qa", RowKind.Qa),
        new("knowmem/forget_qa_icl", RowKind.Qa), new("knowmem/retain_qa_icl", RowKind.Qa),
        new("verbmem/forget", RowKind.VerbMem),
        new("privleak/forget", RowKind.Text), new("privleak/retain", RowKind.Text), new("privleak/holdout", RowKind.Text),
    ];

    private static readonly SplitSpec[] WpuSplits =
    [
        new("forget", RowKind.Wpu) { RowsCarryDocument = true }, new("hard_retain", RowKind.Wpu), new("general_retain", RowKind.Wpu),
    ];
}
