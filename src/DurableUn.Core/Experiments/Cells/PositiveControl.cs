using DurableUn.Adapters;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Methods;
using DurableUn.Pipelines;
using DurableUn.Runs;
using static TorchSharp.torch;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;

namespace DurableUn.Experiments.Cells;

/// <summary>
/// A study's positive control (docs/design.md#positive-control): a case where quantization recovery must appear, so a
/// reader sees the instrument detect it. Built from the mechanism, not tuned: the calibrated seed-0 run of the study's
/// first method, reduced to the part of its update that stays inside every bin of the pipeline's control deployment
/// (<see cref="PipelineDeployments.ControlPrecision"/>, <see cref="InBinUpdate"/>). Deployed there, the control is the
/// deployed target bit for bit (0 codes flipped, the same scales), so its FA equals the target's; at bf16 it keeps
/// every sub-step part of the update, and whatever forgetting that carries is recovered by rounding, with its test and
/// interval. It need not pass the audit: at these widths an audit-passing update moves many codes, and what the
/// control shows is how much of the forgetting lived in the moves that rounding erases.
/// </summary>
internal static class PositiveControl
{
    public static CellSetting Setting => CellSetting.Control;

    public static string Key(string dataset, MethodEntry method) => $"{dataset}__{method.Name}__{Setting.Name}__seed0";

    /// <param name="source">The calibrated seed-0 cell whose update the control keeps in bin.</param>
    public static CellOutcome Run(DatasetSession session, PreparedLayout layout, MethodEntry method, CellOutcome source)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var precision = session.Pipeline.ControlPrecision();
        var target = session.Target.Model;
        using var unlearned = AdaptedModel.ForRun(session.Pipeline, layout.Model, session.TargetFolder, Path.Combine(layout.Root, source.AdapterDir));
        var inBin = InBinUpdate.Of(target, unlearned.Model, precision);
        using var control = Build(target, inBin);
        foreach (var w in inBin.Values) w.Dispose();
        var precisions = new[] { Precision.Bf16, precision };
        var targetMeasured = PrecisionEvaluation.Measure(target, precisions, session.Metric, session.Encoder, session.Task.Forget, session.Task.RetainEval);
        var controlMeasured = PrecisionEvaluation.Measure(control, precisions, session.Metric, session.Encoder, session.Task.Forget, session.Task.RetainEval);
        var none = new Dictionary<string, SuiteResult>();
        var records = session.Records(MeasuredModel.Target, Setting, 0, targetMeasured, none)
            .Concat(session.Records(MeasuredModel.Unlearned(method), Setting, 0, controlMeasured, none, p => QuantizationShifts.Measure(target, control, p)))
            .Select(r => r with { Control = true }).ToList();
        return new CellOutcome
        {
            Key = Key(session.Name, method), Dataset = session.Name, Method = MeasuredModel.Unlearned(method), Setting = Setting, Seed = 0,
            Options = new Dictionary<string, string>(source.Options, StringComparer.Ordinal)
            {
                ["control_precision"] = precision.Name,
                ["control_source"] = source.Key,
                ["deployed_equals_target"] = DeployedEqual(target, control, precision) ? "true" : "false",
            },
            Records = records,
            Items = PrecisionEvaluation.Items(session.Task.Forget, controlMeasured),
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>A model with dense projections: the in-bin weights where given, the target's own elsewhere, and the
    /// target's embeddings, norms and lm_head (no deployment quantizes them, so no rounding could erase their update).</summary>
    private static QLoraModel Build(QLoraModel target, IReadOnlyDictionary<string, Tensor> inBin)
    {
        using var _ = no_grad();
        var owned = target.Base.Projections.Where(kv => !inBin.ContainsKey(kv.Key))
            .ToDictionary(kv => $"{kv.Key}.weight", kv => kv.Value.Weight(ScalarType.Float32), StringComparer.Ordinal);
        var weights = new Dictionary<string, Tensor>(target.Base.Dense, StringComparer.Ordinal);
        foreach (var (name, t) in owned) weights[name] = t;
        foreach (var (path, t) in inBin) weights[$"{path}.weight"] = t;
        try
        {
            return QLoraModel.FromWeights(target.Base.Config, weights, target.Base.Options with { BaseFormat = null, Lora = target.Adapter.Options });
        }
        finally
        {
            foreach (var t in owned.Values) t.Dispose();
        }
    }

    /// <summary>Whether the two models deployed at <paramref name="precision"/> multiply with identical weights.</summary>
    internal static bool DeployedEqual(QLoraModel a, QLoraModel b, Precision precision)
    {
        using var da = Deployer.Deploy(a, precision);
        using var db = Deployer.Deploy(b, precision);
        return da.ResidentWeights.All(kv => kv.Value.Dense!.eq(db.ResidentWeights[kv.Key].Dense!).all().item<bool>());
    }
}
