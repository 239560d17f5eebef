using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Model;

namespace DurableUn.Evaluation;

/// <summary>Settings of <see cref="WpuSuite"/>, each with its reason.</summary>
public sealed record WpuOptions
{
    /// Greedy answer length for ROUGE: WPU's answers are short phrases or one sentence, and decoding stops at EOS;
    /// 48 bounds the cost of a model that does not stop (same reasoning as <see cref="TofuOptions.MaxNewTokens"/>).
    public int MaxNewTokens { get; init; } = 48;
    /// Sequences per teacher-forced pass, which holds (batch × length × vocabulary) logits.
    public int BatchSize { get; init; } = 16;
    /// Sequences decoded together; larger is faster on a CPU (see <see cref="TofuOptions.GenerationBatchSize"/>).
    public int GenerationBatchSize { get; init; } = 64;
    /// Fraction k of Min-K% and Min-K%++ (OU default 0.4).
    public double MinK { get; init; } = 0.4;

    public WpuOptions Validate() =>
        MaxNewTokens > 0 && BatchSize > 0 && GenerationBatchSize > 0 && MinK is > 0 and <= 1
            ? this
            : throw new ArgumentException($"invalid WPU options: {this} (positive lengths, k in (0, 1])");
}

/// <summary>
/// WPU's evaluation of one model (docs/metrics.md#wpu-metrics; UCSB-NLP-Chang/causal_unlearn utils.py get_model_utility
/// with dataset='wpu'), at whatever precision the given model was deployed, in its truth-ratio-free form: WPU rows
/// (real and synthetic) carry no paraphrased or perturbed answers, so there is no truth ratio. Per split s ∈ {forget,
/// hard_retain, general_retain}: <c>s_rouge</c> (ROUGE-L recall of the greedy answer, stemmer on) and <c>s_prob</c>
/// (mean P̄ of the answer, <see cref="AnswerProbability"/>). <c>model_utility</c> = harmonic mean of the four
/// non-forget numbers. <c>exact_memorization</c>, <c>extraction_strength</c> on forget answers.
/// MIA: WPU has no holdout people, so the non-members are general_retain's answers. Both sets are trained on by the
/// target, so these AUCs are ≈ 0.5 for the target and fall below 0.5 as unlearning makes forget answers look less
/// familiar than retained ones: a forget-vs-retain familiarity gap, not TOFU's forget-vs-unseen test.
/// Not: the GPT-4o judge scores, MSJ or soft-embedding jailbreaks, or document-level (wikipage) scores.
/// </summary>
public static class WpuSuite
{
    private static readonly string[] Splits = ["forget", "hard_retain", "general_retain"];

    public static IReadOnlyList<string> MetricNames { get; } =
    [
        .. Splits.SelectMany(s => new[] { $"{s}_prob", $"{s}_rouge" }),
        "model_utility", "exact_memorization", "extraction_strength",
        "mia_loss_auc", "mia_zlib_auc", "mia_min_k_auc", "mia_min_k_plus_plus_auc",
    ];

    public static SuiteResult Evaluate(CausalLm model, QaEncoder encoder, Dataset data, WpuOptions options)
    {
        options.Validate();
        var metrics = new List<MetricResult>();
        var absent = new Dictionary<string, string>();
        var utility = new List<double>();
        var answerScores = new Dictionary<string, IReadOnlyList<TokenScores>>();
        // forget is required; a retain split the folder lacks leaves its own metrics absent (WPU ships subsets).
        data.Split("forget");
        var present = Splits.Where(data.Has).ToArray();
        foreach (var missing in Splits.Except(present))
            absent[$"{missing}_prob"] = absent[$"{missing}_rouge"] = $"the dataset folder has no {missing} split";
        var answersBySplit = SuiteScoring.GreedyAnswers(model, encoder,
            present.Select(split => (IReadOnlyList<string>)data.Qa(split).Select(i => i.Question).ToList()).ToList(),
            options.MaxNewTokens, options.GenerationBatchSize);
        for (var s = 0; s < present.Length; s++)
        {
            var (split, items) = (present[s], data.Qa(present[s]));
            var scores = SuiteScoring.Score(model, items.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(), encoder.Tokenizer.PadId, options.BatchSize);
            answerScores[split] = scores;
            var prob = AnswerProbability.Mean($"{split}_prob", scores.Select(SuiteScoring.MeanNll).ToList());
            var rouge = RougeL.Evaluate(items.Select(i => i.Answer).ToList(), answersBySplit[s], RougeMeasure.Recall, useStemmer: true) with { Name = $"{split}_rouge" };
            metrics.AddRange([prob, rouge]);
            if (split != "forget") utility.AddRange([prob.Aggregate, rouge.Aggregate]);
        }
        if (utility.Count > 0) metrics.Add(HarmonicMean.Compute("model_utility", utility));
        else absent["model_utility"] = "the dataset folder has neither hard_retain nor general_retain";
        var correct = SuiteScoring.AnswerCorrectness(answerScores["forget"]);
        metrics.AddRange([Memorization.ExactMemorization(correct), Memorization.ExtractionStrength(correct)]);
        MembershipAttacks.Example[] Examples(string split) =>
            [.. answerScores[split].Zip(data.Qa(split), (s, i) => new MembershipAttacks.Example(s, i.Answer))];
        var notes = new Dictionary<string, string>();
        if (answerScores.ContainsKey("general_retain"))
        {
            metrics.AddRange(MembershipAttacks.Evaluate(Examples("forget"), Examples("general_retain"), lastIsEos: true, options.MinK));
            notes["mia_non_members"] = "general_retain (WPU has no holdout people)";
        }
        else
            foreach (var name in MembershipAttacks.MetricNames) absent[name] = "needs general_retain as the non-members (WPU has no holdout people)";
        return new SuiteResult(metrics, absent, notes);
    }
}
