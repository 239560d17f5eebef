using System.Diagnostics;
using System.Text.Json;
using DurableUn.Evaluation;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;

namespace DurableUn.Experiments.Cells;

/// <summary>
/// One unlearning cell of a study or sweep, start to finish: unlearn the session's target with a method, its
/// <c>--set</c> assignments and a seed; measure the result at every precision of the session; keep the unlearned
/// adapter (in the full pipeline the unlearned model folder) under adapters/KEY/ with a run.json that certify --verify can rebuild it from; return the outcome.
/// Not: publishing the outcome (the caller writes it to its <see cref="CellStore"/>, which makes the cell done),
/// choosing the assignments (calibration or a sweep point do).
/// </summary>
internal static class UnlearnCell
{
    public static CellOutcome Run(DatasetSession session, PreparedLayout layout, string key, MethodEntry method, CellSetting setting, int seed,
                                  IMethodOptions options)
    {
        var watch = Stopwatch.StartNew();
        var result = session.Unlearn(method, options, seed);
        using var model = result.Model;
        return Finish(session, layout, key, method, setting, seed, result, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Measures an already unlearned model (e.g. the calibration's chosen run) and keeps its adapter.</summary>
    public static CellOutcome Finish(DatasetSession session, PreparedLayout layout, string key, MethodEntry method, CellSetting setting, int seed,
                                     UnlearnResult result, double trainSeconds)
    {
        var watch = Stopwatch.StartNew();
        var model = result.Model;
        var measured = session.Measure(model);
        var suites = session.Suites(model);
        var adapterDir = layout.Adapter(key);
        if (Directory.Exists(adapterDir)) Directory.Delete(adapterDir, recursive: true);  // left by a killed run of this cell
        var inputs = new RunInputs(layout.Model, session.BaseSha256, layout.Data(session.Kind), session.DataSha256,
                                   session.TargetFolder, session.TargetSha256);
        var record = UnlearnRecord.For(inputs, method.Name, seed, "plain", result, trainSeconds) with { Pipeline = session.Pipeline };
        if (session.Pipeline == Pipelines.Pipeline.Full)
            FullUnlearnRun.Save(model, session.Target.Pretrained, adapterDir, dir => UnlearnRecordFile.Write(dir, record));   // the whole model: no adapter
        else
            FinetuneRun.SaveAdapterFolder(adapterDir, model.Adapter, session.Target.Pretrained.Folder.Directory,
                dir => UnlearnRecordFile.Write(dir, record));
        return new CellOutcome
        {
            Key = key, Dataset = session.Name, Method = MeasuredModel.Unlearned(method), Setting = setting, Seed = seed,
            Options = record.Options, AdapterSha256 = ContentHash.OfRun(adapterDir), AdapterDir = Path.GetRelativePath(layout.Root, adapterDir),
            Records = session.Records(MeasuredModel.Unlearned(method), setting, seed, measured, suites, p => Deployment.QuantizationShifts.Measure(session.Target.Model, model, p, session.TokenizerPath)),
            Items = PrecisionEvaluation.Items(session.Task.Forget, measured),
            Curve = record.Curve, Seconds = trainSeconds + watch.Elapsed.TotalSeconds,
        };
    }
}
