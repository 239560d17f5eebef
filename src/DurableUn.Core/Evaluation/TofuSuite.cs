using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Model;

namespace DurableUn.Evaluation;

/// <summary>Settings of <see cref="TofuSuite"/>, each with its reason.</summary>
public sealed record TofuOptions
{
    /// Forget split in % of authors: 1, 5 or 10 (forgetNN_perturbed, holdoutNN). OU's default experiment: 10.
    public int ForgetPercent { get; init; } = 10;
    /// Greedy answer length for ROUGE. TOFU/OU generate 200 tokens for Llama answers of up to ~100 tokens; the
    /// synthetic answers are one sentence (≤ ~30 tokens), decoding stops at EOS, and a model that babbles instead
    /// would cost 200 steps per question on a 2-core CPU. Raise it to 200 for real TOFU checkpoints.
    public int MaxNewTokens { get; init; } = 48;
    /// Sequences per teacher-forced pass, which holds (batch × length × vocabulary) logits (OU's eval batch: 32).
    public int BatchSize { get; init; } = 16;
    /// Sequences decoded together. Generation keeps only the KV cache and the last position's logits, and on a CPU a
    /// step costs about the same for 16 or 64 sequences, so fewer, larger batches are faster (SuiteScoring.GreedyAnswers).
    public int GenerationBatchSize { get; init; } = 64;
    /// Fraction k of Min-K% and Min-K%++ (OU mia_min_k default 0.4).
    public double MinK { get; init; } = 0.4;

    public TofuOptions Validate() =>
        ForgetPercent is 1 or 5 or 10 && MaxNewTokens > 0 && BatchSize > 0 && GenerationBatchSize > 0 && MinK is > 0 and <= 1
            ? this
            : throw new ArgumentException($"invalid TOFU options: {this} (forget percent 1/5/10, positive lengths, k in (0, 1])");
}

/// <summary>
/// The TOFU rows one evaluation needs, taken from the perturbed splits that the real and the synthetic folders
/// share (DatasetLayout): forgetNN_perturbed (the same items as forgetNN), retain_perturbed, real_authors_perturbed,
/// world_facts_perturbed, and holdoutNN for the MIA (null when the folder predates TOFU's holdout splits).
/// </summary>
public sealed record TofuSplits(
    IReadOnlyList<PerturbedQaItem> Forget, IReadOnlyList<PerturbedQaItem> Retain,
    IReadOnlyList<PerturbedQaItem> RealAuthors, IReadOnlyList<PerturbedQaItem> WorldFacts, IReadOnlyList<QaItem>? Holdout)
{
    public static TofuSplits From(Dataset data, int forgetPercent)
    {
        var holdout = $"holdout{forgetPercent:00}";
        return new TofuSplits(
            data.Rows<PerturbedQaItem>($"forget{forgetPercent:00}_perturbed"), data.Rows<PerturbedQaItem>("retain_perturbed"),
            data.Rows<PerturbedQaItem>("real_authors_perturbed"), data.Rows<PerturbedQaItem>("world_facts_perturbed"),
            data.Splits.Any(s => s.Name == holdout) ? data.Qa(holdout) : null);
    }
}

/// <summary>
/// TOFU's evaluation of one model (docs/metrics.md#tofu-metrics; OU configs/eval/tofu.yaml and tofu_metrics/*.yaml), at
/// whatever precision the given model was deployed. Per split s ∈ {forget, retain, real_authors, world_facts}:
/// <c>s_prob</c> (<see cref="AnswerProbability"/>: mean P̄ on forget/retain, P̄ against the wrong options on
/// real_authors/world_facts), <c>s_rouge</c> (ROUGE-L recall of the greedy answer, stemmer on) and <c>s_truth_ratio</c>
/// (aggregate closer_to_1_better on forget, true_better elsewhere; per-example values are the raw ratios R_i, as
/// OU's value_by_index, so the retain model's <c>forget_truth_ratio</c> per-example values feed forget quality).
/// Then <c>forget_quality</c> (KS p-value against the retain model's forget ratios; absent without them),
/// <c>model_utility</c> (harmonic mean of the nine non-forget numbers), <c>exact_memorization</c> and
/// <c>extraction_strength</c> on forget answers, and the MIA AUCs of forget vs holdout (<see
/// cref="MembershipAttacks"/>). Each split is scored in one batched teacher-forced pass (answer, paraphrase, perturbed
/// answers together), which also feeds EM, ES and the MIA on forget; the four splits' questions are decoded in one
/// pooled generation pass. Not: the legacy TOFU repo's first-300-rows subset, paraphrased-question evals, or privleak
/// on TOFU.
/// </summary>
public static class TofuSuite
{
    private static readonly string[] SplitNames = ["forget", "retain", "real_authors", "world_facts"];

    /// Every metric name this suite reports on (present or absent in a result).
    public static IReadOnlyList<string> MetricNames { get; } =
    [
        .. SplitNames.SelectMany(s => new[] { $"{s}_prob", $"{s}_rouge", $"{s}_truth_ratio" }),
        "forget_quality", "model_utility", "exact_memorization", "extraction_strength",
        "mia_loss_auc", "mia_zlib_auc", "mia_min_k_auc", "mia_min_k_plus_plus_auc",
    ];

    public static SuiteResult Evaluate(CausalLm model, QaEncoder encoder, Dataset data, TofuOptions options,
                                       IReadOnlyList<double>? retainForgetTruthRatios = null) =>
        Evaluate(model, encoder, TofuSplits.From(data, options.Validate().ForgetPercent), options, retainForgetTruthRatios);

    /// <param name="retainForgetTruthRatios">The retain model's raw forget truth ratios (its <c>forget_truth_ratio</c>
    /// per-example values); forget quality is absent without them.</param>
    public static SuiteResult Evaluate(CausalLm model, QaEncoder encoder, TofuSplits splits, TofuOptions options,
                                       IReadOnlyList<double>? retainForgetTruthRatios = null)
    {
        options.Validate();
        var metrics = new List<MetricResult>();
        var absent = new Dictionary<string, string>();
        IReadOnlyList<PerturbedQaItem>[] items = [splits.Forget, splits.Retain, splits.RealAuthors, splits.WorldFacts];
        var answersBySplit = SuiteScoring.GreedyAnswers(model, encoder,
            items.Select(split => (IReadOnlyList<string>)split.Select(i => i.Question).ToList()).ToList(),
            options.MaxNewTokens, options.GenerationBatchSize);
        var utility = new List<double>();
        ScoredSplit? forget = null;
        for (var s = 0; s < SplitNames.Length; s++)
        {
            var (name, isForget, isQa) = (SplitNames[s], s == 0, s <= 1);   // forget/retain: paraphrase anchor, plain prob
            var scored = ScoredSplit.Of(model, encoder, items[s], paraphraseAnchor: isQa, options.BatchSize);
            forget ??= scored;
            var prob = isQa
                ? AnswerProbability.Mean($"{name}_prob", scored.AnswerNll)
                : AnswerProbability.AgainstOptions($"{name}_prob", scored.AnswerNll, scored.PerturbedNll);
            var rouge = RougeL.Evaluate(items[s].Select(i => i.Answer).ToList(), answersBySplit[s], RougeMeasure.Recall, useStemmer: true) with { Name = $"{name}_rouge" };
            var ratios = TruthRatio.PerItem(scored.AnchorNll, scored.PerturbedNll);
            var truth = isForget ? TruthRatio.CloserToOneBetter(ratios) : TruthRatio.TrueBetter(ratios);
            metrics.AddRange([prob, rouge, new MetricResult($"{name}_truth_ratio", truth.Aggregate, ratios)]);
            if (!isForget) utility.AddRange([prob.Aggregate, rouge.Aggregate, truth.Aggregate]);
        }
        var forgetRatios = metrics.Single(m => m.Name == "forget_truth_ratio").PerExample;
        if (retainForgetTruthRatios is null)
            absent["forget_quality"] = "needs the retain model's forget truth ratios (its forget_truth_ratio per-example values)";
        else
            metrics.Add(TruthRatio.ForgetQuality(forgetRatios, retainForgetTruthRatios));
        metrics.Add(HarmonicMean.Compute("model_utility", utility));
        var correct = SuiteScoring.AnswerCorrectness(forget!.Answers);
        metrics.AddRange([Memorization.ExactMemorization(correct), Memorization.ExtractionStrength(correct)]);
        if (splits.Holdout is null)
            foreach (var name in MetricNames.Where(n => n.StartsWith("mia_", StringComparison.Ordinal)))
                absent[name] = $"the dataset has no holdout{options.ForgetPercent:00} split (non-members for the MIA)";
        else
            metrics.AddRange(Mia(model, encoder, splits.Forget.Select(i => i.Answer).ToList(), forget.Answers, splits.Holdout, options));
        var notes = new Dictionary<string, string> { ["mia_non_members"] = $"holdout{options.ForgetPercent:00}" };
        return new SuiteResult(metrics, absent, notes);
    }

    private static IReadOnlyList<MetricResult> Mia(CausalLm model, QaEncoder encoder, IReadOnlyList<string> forgetAnswers,
                                                   IReadOnlyList<TokenScores> forgetScores, IReadOnlyList<QaItem> holdout, TofuOptions options)
    {
        var holdoutScores = SuiteScoring.Score(model, holdout.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(), encoder.Tokenizer.PadId, options.BatchSize);
        return MembershipAttacks.Evaluate(
            forgetScores.Zip(forgetAnswers, (s, a) => new MembershipAttacks.Example(s, a)).ToList(),
            holdoutScores.Zip(holdout, (s, i) => new MembershipAttacks.Example(s, i.Answer)).ToList(),
            lastIsEos: true, options.MinK);
    }

    /// <summary>
    /// One teacher-forced pass over a perturbed split: per item the answer, the truth-ratio anchor (the paraphrase,
    /// or the answer itself on real_authors/world_facts) and every perturbed answer, scored together.
    /// </summary>
    private sealed record ScoredSplit(IReadOnlyList<TokenScores> Answers, IReadOnlyList<double> AnswerNll,
                                      IReadOnlyList<double> AnchorNll, IReadOnlyList<IReadOnlyList<double>> PerturbedNll)
    {
        public static ScoredSplit Of(CausalLm model, QaEncoder encoder, IReadOnlyList<PerturbedQaItem> items, bool paraphraseAnchor, int batchSize)
        {
            if (items.Count == 0) throw new ArgumentException("a TOFU split has no items");
            var examples = new List<EncodedExample>();
            foreach (var item in items)
            {
                examples.Add(encoder.Encode(item.Question, item.Answer));
                if (paraphraseAnchor)
                    examples.Add(encoder.Encode(item.Question, item.ParaphrasedAnswer
                        ?? throw new ArgumentException($"\"{item.Question}\" has no paraphrased_answer, which the truth ratio needs")));
                examples.AddRange(item.PerturbedAnswers.Select(p => encoder.Encode(item.Question, p)));
            }
            var scores = SuiteScoring.Score(model, examples, encoder.Tokenizer.PadId, batchSize);
            var answers = new List<TokenScores>();
            var anchors = new List<double>();
            var perturbed = new List<IReadOnlyList<double>>();
            var at = 0;
            foreach (var item in items)
            {
                answers.Add(scores[at++]);
                anchors.Add(SuiteScoring.MeanNll(paraphraseAnchor ? scores[at++] : answers[^1]));
                perturbed.Add(scores.Skip(at).Take(item.PerturbedAnswers.Count).Select(SuiteScoring.MeanNll).ToList());
                at += item.PerturbedAnswers.Count;
            }
            return new ScoredSplit(answers, answers.Select(SuiteScoring.MeanNll).ToList(), anchors, perturbed);
        }
    }
}
