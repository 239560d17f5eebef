using System.Globalization;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Experiments.Calibration;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.Experiments.Sweeps;
using DurableUn.IO;
using DurableUn.Presets;
using DurableUn.Pretraining;
using DurableUn.Runs;

namespace DurableUn.Bench;

/// <summary>One unlearned model of the regime map: a study's calibrated method (one seed) or a sweep point.
/// <see cref="Cell"/> is null while it has not finished; its numbers are then missing, never zero.</summary>
internal sealed record RegimeRow(string Method, double? Lr, int? Steps, bool? Passed, CellOutcome? Cell)
{
    public CellRecord? At(string precision) => Cell?.Records.FirstOrDefault(r => r.Precision.Name == precision);
}

/// <summary>
/// One point of the regime map: a study or sweep folder under the work folder (or a planned one not started yet),
/// its axes read from its own spec, the floor and the target's FA from its reference cells, and its rows.
/// </summary>
internal sealed record RegimePoint
{
    public required string Name { get; init; }
    /// "study", "sweep", or null for a planned folder that holds neither spec yet.
    public string? Kind { get; init; }
    public ModelPreset? Preset { get; init; }
    /// The path from base to deployed model (docs/design.md#pipelines).
    public Pipelines.Pipeline Pipeline { get; init; } = Pipelines.Pipeline.Adapter;
    /// The study or sweep folder (its prepared model is the preset's base).
    public string? Folder { get; init; }
    public BaseModel? Base { get; init; }
    public int? LoraRank { get; init; }
    /// Learning rate of the target and retain adapters; shown in the label when it is not the preset's default.
    public double? FinetuneLr { get; init; }
    public string? Dataset { get; init; }
    public string? Metric { get; init; }
    public IReadOnlyList<string> Precisions { get; init; } = [];
    /// FA_bf16 of the retain model on the forget set, of the target model, and the audit target (floor + margin).
    public double? Floor { get; init; }
    public double? TargetFa { get; init; }
    public double? AuditTarget { get; init; }
    public IReadOnlyList<RegimeRow> Rows { get; init; } = [];

    public int? Width => Preset is { } p ? ModelPresets.Config(p, vocabSize: 1).HiddenSize : null;
    public int? Layers => Preset is { } p ? ModelPresets.Config(p, vocabSize: 1).NumHiddenLayers : null;

    /// A target that already passes the bf16 audit has nothing to forget: its point cannot show recovery.
    public bool NothingToForget => TargetFa is { } known && AuditTarget is { } target && known <= target;

    /// "tiny d128×4L · pretrained · r16" (· "fine-tune lr 0.00113" when not the preset's default, · "sweep" for a
    /// sweep), or the folder name until it has a spec.
    public string Label => Preset is not { } p ? Name
        : $"{p.ToString().ToLowerInvariant()} d{Width}×{Layers}L · {Base.ToString()!.ToLowerInvariant()} · r{LoraRank}"
          + (NonDefaultFinetuneLr is { } lr ? $" · fine-tune lr {lr}" : "") + (Kind == "sweep" ? " · sweep" : "");

    /// The target's fine-tuning lr as text when it is not the preset's default (an earlier recipe kept for the record).
    public string? NonDefaultFinetuneLr => Preset is { } p && FinetuneLr is { } lr && Math.Abs(lr - StudySpec.For(p).FinetuneLr) > 1e-12
        ? lr.ToString("G3", CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Reads the regime map's folders with the Core library's own types: study.json (<see cref="StudySpec"/>),
/// calibration/*.json (<see cref="CalibrationResult"/>), sweep.json (<see cref="SweepSpec"/>, its points from
/// <see cref="SweepPlan"/>) and cells/*.json (<see cref="CellOutcome"/>, the records results.json is merged from: a
/// study still running, or killed, has cells but no results.json yet). Points come in the order of the work folder's
/// points.txt (written by bench/regime_map.sh), then any other study or sweep folder found there.
/// </summary>
internal static class RegimePoints
{
    public const string PlanFile = "points.txt";

    public static IReadOnlyList<RegimePoint> Read(string workDir)
    {
        var plan = Path.Combine(workDir, PlanFile);
        var planned = File.Exists(plan)
            ? File.ReadAllLines(plan).Select(l => l.Trim()).Where(l => l != "" && !l.StartsWith('#')).ToList()
            : [];
        var found = Directory.EnumerateDirectories(workDir).Select(d => Path.GetFileName(d)!)
            .Where(n => File.Exists(new StudyLayout(Path.Combine(workDir, n)).Spec) || SweepLayout.IsSweep(Path.Combine(workDir, n)))
            .Order(StringComparer.Ordinal);
        return planned.Concat(found.Except(planned)).SelectMany(n => Read(workDir, n)).ToList();
    }

    private static IEnumerable<RegimePoint> Read(string workDir, string name)
    {
        var dir = Path.Combine(workDir, name);
        if (File.Exists(new StudyLayout(dir).Spec)) return Study(name, dir);
        if (SweepLayout.IsSweep(dir)) return [Sweep(name, dir)];
        return [new RegimePoint { Name = name }];
    }

    /// One point per dataset of the study: its calibrated rows, one per method × seed.
    private static IEnumerable<RegimePoint> Study(string name, string dir)
    {
        var layout = new StudyLayout(dir);
        var spec = JsonFile.Read<StudySpec>(layout.Spec, JsonDefaults.Options);
        var cells = Cells(layout.Prepared);
        foreach (var d in spec.Datasets)
        {
            var dataset = DatasetNames.Of(d);
            var floor = Reference(cells, dataset, MeasuredModel.Retain);
            var calibrations = spec.Methods.ToDictionary(m => m, m => File.Exists(layout.Calibration(d, m))
                ? JsonFile.Read<CalibrationResult>(layout.Calibration(d, m), JsonDefaults.Options) : null);
            var rows = (from m in spec.Methods
                        from seed in spec.Seeds
                        let c = calibrations[m]
                        select new RegimeRow(spec.Seeds.Count > 1 ? $"{m.Name} (seed {seed})" : m.Name, c?.Chosen.Lr, c?.Chosen.Steps, c?.Passed,
                                             cells.GetValueOrDefault(new StudyCell(d, m, CellSetting.Calibrated, seed).Key))).ToList();
            yield return new RegimePoint
            {
                Name = name, Kind = "study", Preset = spec.Preset, Pipeline = spec.Pipeline, Folder = dir, Base = spec.Base, LoraRank = spec.LoraRank, FinetuneLr = spec.FinetuneLr, Dataset = dataset,
                Metric = spec.Metric.Name(), Precisions = spec.Precisions.Select(p => p.Name).ToList(),
                Floor = floor, TargetFa = Reference(cells, dataset, MeasuredModel.Target),
                AuditTarget = calibrations.Values.FirstOrDefault(c => c is not null)?.AuditEpsilon ?? spec.AuditEpsilon ?? floor + spec.AuditMargin,
                Rows = rows,
            };
        }
    }

    /// A sweep: one row per planned point, its lr × steps as applied (or as planned, until it has run).
    private static RegimePoint Sweep(string name, string dir)
    {
        var layout = new SweepLayout(dir);
        var spec = JsonFile.Read<SweepSpec>(layout.Spec, JsonDefaults.Options);
        var cells = Cells(layout.Prepared);
        var dataset = DatasetNames.Of(spec.Dataset);
        var floor = Reference(cells, dataset, MeasuredModel.Retain);
        var epsilon = spec.Epsilon ?? floor + spec.EpsilonMargin;
        var rows = SweepPlan.Points(spec).Select(point =>
        {
            var cell = cells.GetValueOrDefault(point.Id);
            string? Option(string key) => cell?.Options.GetValueOrDefault(key) ?? point.Parameters.GetValueOrDefault(key);
            var fa = cell?.Records.FirstOrDefault(r => r.Precision == Precision.Bf16)?.Fa;
            return new RegimeRow(spec.Method.Name, Number(Option("lr")), Number(Option("steps")) is { } s ? (int)s : null,
                                 fa is { } f && epsilon is { } e ? f <= e : null, cell);
        }).ToList();
        return new RegimePoint
        {
            Name = name, Kind = "sweep", Preset = spec.Preparation.Preset, Pipeline = spec.Preparation.Pipeline, Folder = dir, Base = spec.Preparation.Base, LoraRank = spec.Preparation.LoraRank,
            FinetuneLr = spec.Preparation.FinetuneLr,
            Dataset = dataset, Metric = spec.Metric.Name(), Precisions = spec.Precisions.Select(p => p.Name).ToList(),
            Floor = floor, TargetFa = Reference(cells, dataset, MeasuredModel.Target), AuditTarget = epsilon, Rows = rows,
        };
    }

    /// Finished cells by key; none when the folder has no cells/ yet (a CellStore would create it).
    private static IReadOnlyDictionary<string, CellOutcome> Cells(PreparedLayout layout) =>
        Directory.Exists(layout.Cells) ? new CellStore(layout.Cells, JsonDefaults.Options).ReadAll<CellOutcome>() : new Dictionary<string, CellOutcome>();

    /// FA_bf16 of the target or retain reference cell of a dataset, null until preparation measured it.
    private static double? Reference(IReadOnlyDictionary<string, CellOutcome> cells, string dataset, MeasuredModel role) =>
        cells.Values.FirstOrDefault(c => c.Dataset == dataset && c.Method == role)?.Records.FirstOrDefault(r => r.Precision == Precision.Bf16)?.Fa;

    private static double? Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
