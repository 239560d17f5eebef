using System.Diagnostics;
using System.Text.Json;
using DurableUn.Certification;
using DurableUn.Methods;

namespace DurableUn.Experiments;

/// <summary>
/// One unlearning cell of a study or sweep, start to finish: unlearn the session's target with a method, its
/// <c>--set</c> assignments and a seed; measure the result at every precision of the session; keep the unlearned
/// adapter under adapters/KEY/ with a run.json that certify --verify can rebuild it from; return the outcome.
/// Not: publishing the outcome (the caller writes it to its <see cref="CellStore"/>, which makes the cell done),
/// choosing the assignments (calibration or a sweep point do).
/// </summary>
internal static class UnlearnCell
{
    public static CellOutcome Run(DatasetSession session, PreparedLayout layout, string key, string method, string setting, int seed,
                                  IReadOnlyList<string> assignments)
    {
        var watch = Stopwatch.StartNew();
        var result = UnlearnRun.Execute(session.Target.Model, MethodCatalog.Find(method), assignments, session.Task, session.Encoder, seed);
        using var model = result.Model;
        var measured = session.Measure(model);
        var adapterDir = layout.Adapter(key);
        if (Directory.Exists(adapterDir)) Directory.Delete(adapterDir, recursive: true);  // left by a killed run of this cell
        var options = UnlearnRecord.Text(result.Options);
        var curve = result.Curve.Select(c => new CurvePoint(c.Step, c.Loss, c.LearningRate)).ToList();
        var data = layout.Data(session.Kind);
        var target = layout.Target(session.Kind);
        var record = new UnlearnRecord
        {
            BaseModel = layout.Model, BaseSha256 = ContentHash.OfFolder(layout.Model),
            Data = data, DataSha256 = ContentHash.OfFolder(data),
            TargetAdapter = target, TargetAdapterSha256 = ContentHash.OfFolder(target),
            Method = method, Seed = seed, Template = "plain", Options = options, Curve = curve, Seconds = watch.Elapsed.TotalSeconds,
        };
        FinetuneRun.SaveAdapterFolder(adapterDir, model.Adapter, layout.Model,
            dir => File.WriteAllText(Path.Combine(dir, FinetuneRun.RecordFile), JsonSerializer.Serialize(record, FinetuneRun.Json)));
        return new CellOutcome
        {
            Key = key, Dataset = session.Name, Method = method, Setting = setting, Seed = seed,
            Options = options, AdapterSha256 = ContentHash.OfFolder(adapterDir), AdapterDir = Path.GetRelativePath(layout.Root, adapterDir),
            Records = session.Records(method, setting, seed, measured),
            Items = PrecisionEvaluation.Items(session.Task.Forget, measured),
            Curve = curve, Seconds = watch.Elapsed.TotalSeconds,
        };
    }
}
