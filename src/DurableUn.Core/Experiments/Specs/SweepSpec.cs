using System.Text.Json.Serialization;
using DurableUn.Data;
using DurableUn.Methods;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Pipelines;
using DurableUn.Presets;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// Everything that defines a sweep (docs/design.md#pipeline): one method on one dataset over a grid or a random search
/// of its options, saved as sweep.json in its folder; rerunning with another spec in the same folder is refused. The
/// preparation (model, data, target and retain adapters) and the measurement defaults are those of the study of
/// the same preset, so a sweep starts from the same target and floor as the study's tables.
/// Not: the points themselves (<see cref="SweepPlan"/> derives them, deterministically, from this spec).
/// </summary>
public sealed record SweepSpec
{
    [JsonPropertyName("method"), JsonConverter(typeof(MethodEntryJson))] public required MethodEntry Method { get; init; }
    [JsonPropertyName("dataset")] public DatasetKind Dataset { get; init; } = DatasetKind.Tofu;
    [JsonPropertyName("preparation")] public required PreparationSpec Preparation { get; init; }
    /// Grid axes: every combination is a point, the first axis varying slowest. Empty for a random search.
    [JsonPropertyName("grid")] public IReadOnlyList<GridAxis> Grid { get; init; } = [];
    /// Points of a random search (0 for a grid).
    [JsonPropertyName("random")] public int Random { get; init; }
    /// Ranges the random search draws from.
    [JsonPropertyName("ranges")] public IReadOnlyList<SweepRange> Ranges { get; init; } = [];
    /// <c>--set</c> assignments applied to every point before its own values (e.g. steps=10).
    [JsonPropertyName("set")] public IReadOnlyList<string> Set { get; init; } = [];
    /// Seed of every point's unlearning run and of the random search's draws.
    [JsonPropertyName("seed")] public int Seed { get; init; }
    /// Must include bf16 (FA, RA) and int4 (Q-INT4); a point is certified when FA ≤ ε at every one of them.
    [JsonPropertyName("precisions"), JsonConverter(typeof(PrecisionListJson))]
    public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Bf16, Precision.Int8, Precision.Int4];
    /// The study's headline metric, key-fact recall (floor near 0; <see cref="StudySpec.Metric"/>).
    [JsonPropertyName("metric"), JsonConverter(typeof(AccuracyMetricJson))] public AccuracyMetric Metric { get; init; } = AccuracyMetric.KeyFact;
    /// Examples per unlearning step; the study's value for the preset, unless a point sets batch_size.
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 16;
    [JsonPropertyName("retain_eval_items")] public int RetainEvalItems { get; init; } = 40;
    /// Certificate ε; null = the floor (retain model's FA_bf16 on the forget set) plus <see cref="EpsilonMargin"/>.
    [JsonPropertyName("epsilon")] public double? Epsilon { get; init; }
    /// Margin above the floor when ε is not given (5 points, as the study's audit target).
    [JsonPropertyName("epsilon_margin")] public double EpsilonMargin { get; init; } = 0.05;

    /// <summary>A sweep of <paramref name="method"/> on <paramref name="dataset"/> prepared and measured like the study of <paramref name="preset"/>.</summary>
    public static SweepSpec For(ModelPreset preset, MethodEntry method, DatasetKind dataset, Pipeline pipeline = Pipeline.Adapter)
    {
        var study = StudySpec.For(preset, pipeline);
        return new SweepSpec
        {
            Method = method, Dataset = dataset, Preparation = study.Preparation, Precisions = study.Precisions, Metric = study.Metric,
            BatchSize = study.BatchSize, RetainEvalItems = study.RetainEvalItems,
        };
    }

    /// <summary>
    /// Checks everything before anything trains: the method, the precisions, exactly one of grid and random search,
    /// each key against the method's options (the error names the key), and every point's assignments in full
    /// (types and the options' own rules), so a bad value fails now rather than in the seventh point.
    /// </summary>
    public SweepSpec Validate()
    {
        Preparation.Validate();
        if (Precisions.Count == 0) throw new ArgumentException("precisions: at least one is needed");
        SpecChecks.PrecisionsDeploy(Precisions, Preparation.Pipeline);
        if (!Precisions.Contains(Precision.Bf16) || !Precisions.Contains(Preparation.Pipeline.Int4()))
            throw new ArgumentException($"precisions must include bf16 (FA, RA) and {Preparation.Pipeline.Int4().Name} (Q-INT4 of the {Preparation.Pipeline.Name()} pipeline)");
        if (BatchSize < 1) throw new ArgumentException($"batch_size must be ≥ 1, got {BatchSize}");
        if (RetainEvalItems < 1) throw new ArgumentException($"retain_eval_items must be ≥ 1, got {RetainEvalItems}");
        if (!(EpsilonMargin >= 0 && EpsilonMargin <= 1)) throw new ArgumentException($"epsilon_margin must be in [0, 1], got {EpsilonMargin}");
        SpecChecks.Epsilon(Epsilon, "epsilon");
        SpecChecks.PrecisionsFit(Precisions, Preparation.Preset);
        if (Grid.Count > 0 == Random > 0) throw new ArgumentException("a sweep needs either --grid axes or --random N with --range, not both");
        if (Random < 0) throw new ArgumentException($"--random must be ≥ 1, got {Random}");
        if (Random > 0 && Ranges.Count == 0) throw new ArgumentException("--random needs at least one --range key=lo:hi[:log]");
        if (Random == 0 && Ranges.Count > 0) throw new ArgumentException("--range needs --random N");

        var keys = MethodSettings.Keys(Method.OptionsType);
        var swept = Grid.Select(a => a.Key).Concat(Ranges.Select(r => r.Key)).ToList();
        foreach (var key in swept)
            if (!keys.ContainsKey(key)) throw new ArgumentException($"{Method.Name} has no option \"{key}\"; valid keys: {string.Join(", ", keys.Keys)}", key);
        if (swept.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"\"{twice.Key}\" is swept twice; give each key one --grid or --range", twice.Key);
        foreach (var assignment in Set)
            if (swept.Contains(assignment.Split('=')[0].Trim()))
                throw new ArgumentException($"--set {assignment}: that key is also swept; either fix it or sweep it", assignment.Split('=')[0].Trim());
        foreach (var range in Ranges)
        {
            range.Validate();
            var type = keys[range.Key].PropertyType;
            if (type != typeof(double) && type != typeof(int))
                throw new ArgumentException($"--range {range.Key}: only number and integer options can be drawn from a range ({range.Key} is {type.Name}); use --grid", range.Key);
        }
        foreach (var point in SweepPlan.Points(this))
        {
            try { MethodSettings.Apply(Method.DefaultsFor(Preparation.Pipeline), SweepPlan.Assignments(this, point)).Options.CheckPipeline(Preparation.Pipeline); }
            catch (ArgumentException e)
            {
                var why = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
                throw new ArgumentException($"sweep point {point.Id} ({point.Describe()}): {why}", e.ParamName, e);
            }
        }
        return this;
    }
}
