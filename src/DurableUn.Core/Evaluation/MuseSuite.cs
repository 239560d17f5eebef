using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Model;

namespace DurableUn.Evaluation;

/// <summary>Settings of <see cref="MuseSuite"/>, each with its reason (defaults are muse_bench's).</summary>
public sealed record MuseOptions
{
    /// VerbMem: new tokens generated, and the length the gt reference is cut to (muse_bench: 128 both).
    /// The synthetic gts are about 60 tokens, so 128 already covers them; generation stops at EOS.
    public int VerbMemTokens { get; init; } = 128;
    /// KnowMem: new tokens per answer (muse_bench: 32; answers are a few words, the rest is cut anyway).
    public int KnowMemTokens { get; init; } = 32;
    /// Min-K% fraction for PrivLeak and the MIA (MUSE: Min-40%).
    public double MinK { get; init; } = 0.4;
    /// Sequences per teacher-forced pass, which holds (batch × length × vocabulary) logits.
    public int BatchSize { get; init; } = 16;
    /// Sequences decoded together; larger is faster on a CPU (see <see cref="TofuOptions.GenerationBatchSize"/>).
    public int GenerationBatchSize { get; init; } = 64;
    /// Longest token sequence fed to the model (null: the model's max_position_embeddings). Prompts keep their
    /// last tokens so that prompt + generation fits; privleak texts keep their first tokens.
    public int? MaxLength { get; init; }

    public MuseOptions Validate() =>
        VerbMemTokens > 0 && KnowMemTokens > 0 && BatchSize > 0 && GenerationBatchSize > 0 && MinK is > 0 and <= 1 && MaxLength is null or > 1
            ? this
            : throw new ArgumentException($"invalid MUSE options: {this} (positive lengths, k in (0, 1])");
}

/// <summary>
/// MUSE-News's evaluation of one model (docs/metrics.md#muse-news-metrics; swj0419/muse_bench eval.py, metrics/*.py,
/// constants.py), at whatever precision the given model was deployed. All ROUGE here is F1 without stemmer, as
/// muse_bench, in [0, 1] (muse_bench prints × 100):
/// - <c>verbmem_f</c>: greedy continuation of each verbmem/forget prompt (BOS + text) against the gt cut to its
///   first <see cref="MuseOptions.VerbMemTokens"/> tokens;
/// - <c>knowmem_f</c> / <c>knowmem_r</c>: <see cref="KnowMemPrompt"/> few-shot answers on knowmem/forget_qa and
///   retain_qa (their own _icl pairs) against the answer;
/// - <c>privleak</c>: <see cref="PrivLeak"/> of Min-40% on privleak/forget vs privleak/holdout (BOS + text, no EOS),
///   with AUC_retrain = the retain model's <c>privleak_auc</c> when given, else MUSE-News's published 0.4772;
///   <c>privleak_auc</c> is this model's MUSE AUC, and the note <c>privleak_auc_retrain</c> says which was used;
/// - the MIA AUCs on the same privleak forget/holdout texts and the same forward pass (<see
/// cref="MembershipAttacks"/>);
/// - <c>exact_memorization</c> and <c>extraction_strength</c> on knowmem/forget_qa, teacher-forced with the encoder's
///   template (OU's MUSE suite runs ES on verbmem; QA keeps it comparable with TOFU and WPU).
/// Not: MUSE's scal/sust splits, the Books corpus (its AUC_retrain differs), or privleak/retain.
/// </summary>
public static class MuseSuite
{
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        "verbmem_f", "knowmem_f", "knowmem_r", "privleak", "privleak_auc", "exact_memorization", "extraction_strength",
        "mia_loss_auc", "mia_zlib_auc", "mia_min_k_auc", "mia_min_k_plus_plus_auc",
    ];

    /// <param name="retainModelAuc">The retain model's <c>privleak_auc</c> from this suite; null uses MUSE's constant.</param>
    public static SuiteResult Evaluate(CausalLm model, QaEncoder encoder, Dataset data, MuseOptions options, double? retainModelAuc = null)
    {
        options.Validate();
        var tok = encoder.Tokenizer;
        var maxLength = options.MaxLength ?? model.Config.MaxPositionEmbeddings;
        if (maxLength < Math.Max(options.VerbMemTokens, options.KnowMemTokens) + 2)
            throw new ArgumentException($"a context of {maxLength} tokens leaves no room for a prompt before {Math.Max(options.VerbMemTokens, options.KnowMemTokens)} new tokens");
        var metrics = new List<MetricResult> { VerbMem(model, encoder, data.Rows<VerbMemItem>("verbmem/forget"), options, maxLength) };
        metrics.AddRange(KnowMem(model, encoder, data, options, maxLength));

        var forgetQa = data.Qa("knowmem/forget_qa");
        var correct = SuiteScoring.AnswerCorrectness(SuiteScoring.Score(model,
            forgetQa.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(), tok.PadId, options.BatchSize));
        metrics.AddRange([Memorization.ExactMemorization(correct), Memorization.ExtractionStrength(correct)]);

        var absent = new Dictionary<string, string>();
        var notes = new Dictionary<string, string>();
        List<string> Texts(string split) => data.Has(split) ? data.Rows<TextItem>(split).Select(t => t.Text).ToList() : [];
        var forgetTexts = Texts("privleak/forget");
        var holdoutTexts = Texts("privleak/holdout");
        if (forgetTexts.Count == 0 || holdoutTexts.Count == 0)
        {
            // An AUC compares two non-empty sets; with one absent, every AUC-based metric is undefined.
            var why = $"undefined: the folder has no privleak/{(forgetTexts.Count == 0 ? "forget" : "holdout")} texts, and an AUC needs texts on both sides";
            foreach (var name in (string[])["privleak", "privleak_auc", .. MembershipAttacks.MetricNames]) absent[name] = why;
            return new SuiteResult(metrics, absent, notes);
        }
        var scores = SuiteScoring.Score(model,
            forgetTexts.Concat(holdoutTexts).Select(t => TextExample(SuiteScoring.EncodeText(tok, t, maxLength, keepEnd: false))).ToList(),
            tok.PadId, options.BatchSize);
        var (forgetScores, holdoutScores) = (scores.Take(forgetTexts.Count).ToList(), scores.Skip(forgetTexts.Count).ToList());
        var forgetMinK = forgetScores.Select(s => MembershipScores.MinKMuse(s.LogProbs, options.MinK)).ToList();
        var holdoutMinK = holdoutScores.Select(s => MembershipScores.MinKMuse(s.LogProbs, options.MinK)).ToList();
        var aucRetrain = retainModelAuc ?? PrivLeak.AucRetrainNews;
        if (aucRetrain > 0)
        {
            metrics.Add(PrivLeak.Compute(forgetMinK, holdoutMinK, aucRetrain));
            notes["privleak_auc_retrain"] = retainModelAuc is null
                ? $"published MUSE-News constant {PrivLeak.AucRetrainNews} (muse_bench constants.py)"
                : $"retain model's privleak_auc {aucRetrain}";
        }
        else
            // PrivLeak divides by AUC_retrain; a retain model that ranks every forget text as more familiar than every
            // holdout text (AUC 0) leaves it undefined, not infinite: recorded with the reason, the study goes on.
            absent["privleak"] = $"undefined: the retain model's privleak_auc is {aucRetrain}, and PrivLeak divides by it";
        metrics.Add(new MetricResult("privleak_auc", PrivLeak.MuseAuc(forgetMinK, holdoutMinK), [.. forgetMinK, .. holdoutMinK]));

        metrics.AddRange(MembershipAttacks.Evaluate(
            forgetScores.Zip(forgetTexts, (s, t) => new MembershipAttacks.Example(s, t)).ToList(),
            holdoutScores.Zip(holdoutTexts, (s, t) => new MembershipAttacks.Example(s, t)).ToList(),
            lastIsEos: false, options.MinK));
        return new SuiteResult(metrics, absent, notes);
    }

    private static MetricResult VerbMem(CausalLm model, QaEncoder encoder, IReadOnlyList<VerbMemItem> items, MuseOptions options, int maxLength)
    {
        var tok = encoder.Tokenizer;
        var prompts = items.Select(i => SuiteScoring.EncodeText(tok, i.Prompt, maxLength - options.VerbMemTokens, keepEnd: true)).ToList();
        var continuations = SuiteScoring.Greedy(model, tok, prompts, options.VerbMemTokens, options.GenerationBatchSize);
        var references = items.Select(i => tok.Decode(tok.Encode(i.Gt).Take(options.VerbMemTokens))).ToList();
        return RougeL.Evaluate(references, continuations, RougeMeasure.FMeasure, useStemmer: false) with { Name = "verbmem_f" };
    }

    /// knowmem_f and knowmem_r, their few-shot prompts decoded in one pooled generation pass (same length).
    private static IEnumerable<MetricResult> KnowMem(CausalLm model, QaEncoder encoder, Dataset data, MuseOptions options, int maxLength)
    {
        var tok = encoder.Tokenizer;
        (string Name, IReadOnlyList<QaItem> Icl, IReadOnlyList<QaItem> Items)[] sets =
        [
            ("knowmem_f", data.Qa("knowmem/forget_qa_icl"), data.Qa("knowmem/forget_qa")),
            ("knowmem_r", data.Qa("knowmem/retain_qa_icl"), data.Qa("knowmem/retain_qa")),
        ];
        var prompts = sets.SelectMany(set => set.Items.Select(i =>
            SuiteScoring.EncodeText(tok, KnowMemPrompt.Build(set.Icl, i.Question), maxLength - options.KnowMemTokens, keepEnd: true))).ToList();
        var answers = SuiteScoring.Greedy(model, tok, prompts, options.KnowMemTokens, options.GenerationBatchSize)
            .Select(KnowMemPrompt.Cut).ToList();
        var at = 0;
        foreach (var (name, _, items) in sets)
        {
            var mine = answers.Skip(at).Take(items.Count).ToList();
            at += items.Count;
            yield return RougeL.Evaluate(items.Select(i => i.Answer).ToList(), mine, RougeMeasure.FMeasure, useStemmer: false) with { Name = name };
        }
    }

    /// A raw text scored whole: the first token (BOS when the tokenizer has one) is the unscored prompt, every
    /// later token is scored, and there is no EOS (muse_bench scores the text as tokenized with BOS).
    private static EncodedExample TextExample(int[] ids) =>
        ids.Length > 1
            ? new EncodedExample(ids[..1], ids[1..])
            : throw new ArgumentException("a privleak text has no tokens to score");
}
