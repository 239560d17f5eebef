using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.Experiments.Sweeps;
using DurableUn.IO;
using DurableUn.Quantization;
using DurableUn.Runs;
using static TorchSharp.torch;

namespace DurableUn.Bench;

/// <summary>
/// Does forgetting at INT4 live in the codes that flipped? (the open question of the recovery mechanism.) For every unlearned
/// cell of a study, at an adapter-space precision (default the study's int4: groups of 64 along rows), four deployments
/// of the LoRA factors, each folded into the base in fp32 exactly as the study's int4 deployment is:
/// <list type="bullet">
/// <item><c>unlearned</c>: Q(U) — must give the study's FA_int4 (the check that this path is the study's);</item>
/// <item><c>reverted</c>: Q(U) with every element whose code differs from the target's put back to the target's
///   dequantized value (Q(T) there): what is left of the unlearning once the bin crossings are undone;</item>
/// <item><c>flips_only</c>: Q(T) with only those elements set to Q(U)'s value: the bin crossings alone;</item>
/// <item><c>target</c>: Q(T).</item>
/// </list>
/// If <c>reverted</c> comes back to the target's FA and <c>flips_only</c> forgets, forgetting at INT4 is carried by the
/// crossings; if <c>reverted</c> still forgets, the sub-step moves (through the groups' scales) carry it too. Reads the
/// study or sweep folder only; prints a Markdown table. Not a test: no outcome is asserted.
/// </summary>
internal static class RevertFlips
{
    public static void Run(string studyDir, string precisionName)
    {
        var precision = Precision.Parse(precisionName);
        if (precision.Space != PrecisionSpace.Adapter || precision.Format is null)
            throw new ArgumentException($"revert-flips needs an adapter-space quantized precision (int4, int8, nf4, …), got {precisionName}");
        var root = Path.GetFullPath(studyDir);
        var layout = new PreparedLayout(root);
        var (metric, retainItems, preparation) = Measurement(root);
        if (preparation.Pipeline != DurableUn.Pipelines.Pipeline.Adapter)
            throw new ArgumentException($"revert-flips reads adapter-pipeline folders; {root} is a {preparation.Pipeline} study");
        var cells = new CellStore(layout.Cells, JsonDefaults.Options).ReadAll<CellOutcome>().Values
            .Where(c => c.AdapterDir != "").OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        Console.WriteLine($"| cell | lr × steps | FA {precision.Name} (study) | {string.Join(" | ", Deployments.Select(d => d.Name))} | elements flipped |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in cells.GroupBy(c => c.Dataset))
        {
            var kind = DatasetNames.Parse(group.Key);
            using var session = new DatasetSession(layout, preparation, kind, metric, [precision], retainItems, []);
            foreach (var cell in group)
            {
                using var unlearned = AdaptedModel.Load(layout.Model, Path.Combine(root, cell.AdapterDir));
                var study = cell.Records.First(r => r.Precision == precision).Fa;
                var (hybrids, flippedFraction) = Hybrids(session.Target.Model, unlearned.Model, precision);
                var fa = hybrids.Select(h => ForgetAccuracy(session, h)).ToList();          // in Deployments' order
                foreach (var h in hybrids) h.Dispose();                                  // before the unlearned model, as QLoraModel asks
                var schedule = $"{cell.Options.GetValueOrDefault("lr", "?")} × {cell.Options.GetValueOrDefault("steps", "?")}";
                Console.WriteLine($"| {cell.Key} | {schedule} | {study:F2} | {string.Join(" | ", fa.Select(f => $"{f:F2}"))} | {100 * flippedFraction:F1} % |");
            }
        }
    }

    /// <summary>The metric and retain subset the folder measured with: a study's study.json or a sweep's sweep.json
    /// (both prepare the same layout, so a sweep's near-threshold points can be examined like a study's cells).</summary>
    private static (AccuracyMetric Metric, int RetainItems, PreparationSpec Preparation) Measurement(string root)
    {
        if (SweepLayout.IsSweep(root))
        {
            var sweep = JsonFile.Read<SweepSpec>(new SweepLayout(root).Spec, JsonDefaults.Options);
            return (sweep.Metric, sweep.RetainEvalItems, sweep.Preparation);
        }
        var study = JsonFile.Read<StudySpec>(new StudyLayout(root).Spec, JsonDefaults.Options);
        return (study.Metric, study.RetainEvalItems, study.Preparation);
    }

    /// The four deployments, in the table's column order.
    private static readonly (string Name, Func<Parts, Tensor> Pick)[] Deployments =
        [("unlearned", p => p.Unlearned), ("reverted", p => p.Reverted), ("flips_only", p => p.FlipsOnly), ("target", p => p.Target)];

    /// <summary>The four deployments' adapters on the target's base, and the fraction of elements whose code flipped.</summary>
    private static (List<QLoraModel> Models, double Flipped) Hybrids(QLoraModel target, QLoraModel unlearned, Precision precision)
    {
        using var _ = no_grad();
        var layers = Deployments.Select(_ => new Dictionary<string, LoraWeights>()).ToList();
        long flipped = 0, total = 0;
        foreach (var (path, t) in target.Adapter.Layers)
        {
            var u = unlearned.Adapter.Layers[path];
            var a = Split(t.A, u.A, Precision.AlongRows(precision.Format!, t.A.shape[^1], $"{path}.lora_A.weight"));
            var b = Split(t.B, u.B, Precision.AlongRows(precision.Format!, t.B.shape[^1], $"{path}.lora_B.weight"));
            for (var k = 0; k < Deployments.Length; k++) layers[k][path] = new LoraWeights(Deployments[k].Pick(a), Deployments[k].Pick(b));
            flipped += a.Flipped + b.Flipped;
            total += t.A.numel() + t.B.numel();
        }
        return (layers.Select(l => target.WithAdapter(new LoraAdapter(target.Adapter.Options, l))).ToList(), flipped / (double)total);
    }

    private sealed record Parts(Tensor Unlearned, Tensor Reverted, Tensor FlipsOnly, Tensor Target, long Flipped);

    /// <summary>Q(T), Q(U) and the two mixes of one tensor, by the codes that differ (same spec for both).</summary>
    private static Parts Split(Tensor target, Tensor unlearned, QuantSpec spec)
    {
        var qt = Quantizer.Quantize(target.detach().to_type(ScalarType.Float32), spec);
        var qu = Quantizer.Quantize(unlearned.detach().to_type(ScalarType.Float32), spec);
        var dt = Quantizer.Dequantize(qt, ScalarType.Float32).reshape(target.shape);                  // Q(T), (out, in)
        var du = Quantizer.Dequantize(qu, ScalarType.Float32).reshape(target.shape);                  // Q(U)
        var flips = QuantizationShifts.Codes(qt).ne(QuantizationShifts.Codes(qu)).reshape(target.shape); // (out, in) bool
        return new Parts(du, where(flips, dt, du), where(flips, du, dt), dt, flips.sum().item<long>());
    }

    /// <summary>FA of the adapter folded into the dequantized base in fp32 (merged-fp32: W + s·B·A, no further rounding).</summary>
    private static double ForgetAccuracy(DatasetSession session, QLoraModel model)
    {
        using var deployed = Deployer.Deploy(model, Precision.MergedFp32);
        return QaAccuracy.Measure(deployed.Model, session.Encoder, session.Task.Forget, session.Metric).Aggregate;
    }
}
