using DurableUn.Deployment;
using DurableUn.Evaluation;
using System.Text.Json;
using DurableUn.Certification;
using DurableUn.Data;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;
using DurableUn.ScaleOut;
using DurableUn.Statistics;
using DurableUn.Experiments.Cells;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Sweeps;

/// <summary>
/// A sweep (docs/design.md#pipeline; claims 3 and 4 of docs/design.md#claims-under-test): one method on one dataset at
/// many option settings, in three resumable phases, like a study.
/// <list type="number">
/// <item><see cref="Prepare"/>: sweep.json, then the study's preparation of the dataset (model, data, target and
///   retain adapters, their reference cells; <see cref="DatasetPreparation"/>).</item>
/// <item><see cref="RunCells"/>: this shard's points (<see cref="SweepPlan"/>), each a cell <c>pt0007</c> unlearned
///   and measured at every precision (<see cref="UnlearnCell"/>); a finished point is skipped.</item>
/// <item><see cref="Collect"/>: sweep_results.json: the points with FA, RA, Q-INT4 and the certificate verdict
///   (max_p FA_p ≤ ε), the Pareto front, and the phase-transition test (<see cref="PhaseTransition"/>).</item>
/// </list>
/// Not: calibration (a sweep is the search itself), reports (DurableUn.Reporting), Slurm (the CLI runs shards).
/// </summary>
public sealed class Sweep(SweepSpec spec, string root, IStudyObserver observer) : IDisposable
{
    private readonly SweepLayout _layout = new(Path.GetFullPath(root));
    private readonly CellStore _cells = new(new PreparedLayout(Path.GetFullPath(root)).Cells, JsonDefaults.Options);
    private DatasetSession? _session;

    /// The change-point search's defaults (1000 bootstrap fits, 999 permutations, seed 0): a report repeats exactly.
    public static ChangePointOptions ChangePointOptions { get; } = new();

    public SweepLayout Layout => _layout;

    private DatasetPreparation Preparation => new(spec.Preparation, _layout.Prepared, _cells, observer);

    private DatasetSession Session =>
        _session ??= new DatasetSession(_layout.Prepared, spec.Preparation, spec.Dataset, spec.Metric, spec.Precisions, spec.RetainEvalItems, suitePrecisions: []);

    /// <summary>Validates the spec (every point, before anything trains) and writes sweep.json, or checks the folder's one is this.</summary>
    public void Initialise()
    {
        spec.Validate();
        SpecFile.Claim(_layout.Spec, JsonSerializer.Serialize(spec, JsonDefaults.Options), "sweep");
    }

    public void Prepare()
    {
        Initialise();
        Preparation.Ensure(spec.Dataset);
        Preparation.MeasureReferences(Session);
    }

    /// <summary>This shard's points in plan order, a finished one skipped (<see cref="CellLoop"/>; no claims: shards
    /// never share a point).</summary>
    public void RunCells(ShardSpec shard) =>
        CellLoop.Run(shard.Select(SweepPlan.Points(spec), p => p.Id), [], p => p.Id,
            point => UnlearnCell.Run(Session, _layout.Prepared, point.Id, spec.Method, CellSetting.Point(point.Id), spec.Seed,
                                     MethodSettings.Apply(spec.Method.DefaultsFor(spec.Preparation.Pipeline), SweepPlan.Assignments(spec, point)).Options),
            _cells, claims: null, observer, label: p => $"{p.Id} ({p.Describe()})");

    /// <summary>Merges every finished point into sweep_results.json: points, certificates, Pareto front, phase transition.</summary>
    public SweepResults Collect()
    {
        var cells = _cells.ReadAll<CellOutcome>();
        var plan = SweepPlan.Points(spec);
        var floor = Preparation.Floor(spec.Dataset);
        var epsilon = spec.Epsilon ?? floor + spec.EpsilonMargin;
        var points = plan.Where(p => cells.ContainsKey(p.Id)).Select(p => PointResult(p, cells[p.Id], epsilon)).ToList();
        var objectives = points.Select(p => p.Point).ToList();
        var detection = PhaseTransition.Detect(objectives, ChangePointOptions);
        var transition = detection is null ? null : PhaseTransition.From(detection, objectives, ChangePointOptions);
        var results = new SweepResults
        {
            Method = spec.Method.Name, Dataset = DatasetNames.Of(spec.Dataset), Metric = spec.Metric.Name(), Precisions = spec.Precisions.Select(p => p.Name).ToList(),
            Floor = floor, Epsilon = epsilon, Planned = plan.Count, Points = points,
            ParetoFront = ParetoFront.Of(objectives).Select(p => p.Id).ToList(),
            PhaseTransition = transition,
            PhaseTransitionNote = transition?.Verdict ?? PhaseTransition.NoFitReason(objectives, ChangePointOptions),
            Detection = detection,
            Cells = cells.Values.ToList(),
        };
        AtomicFile.WriteAllText(_layout.Results, JsonSerializer.Serialize(results, JsonDefaults.Options));
        return results;
    }

    private SweepPointResult PointResult(SweepPlanPoint point, CellOutcome cell, double epsilon)
    {
        var fa = cell.Records.ToDictionary(r => r.Precision, r => r.Fa);
        var ra = cell.Records.ToDictionary(r => r.Precision, r => r.Ra);
        return new SweepPointResult
        {
            Id = point.Id, Parameters = point.Parameters, FaBf16 = fa[Precision.Bf16], RaBf16 = ra[Precision.Bf16], QInt4 = fa[spec.Preparation.Pipeline.Int4()],
            MaxFa = spec.Precisions.Max(p => fa[p]), Certified = SeedVerdict.Passes(fa, spec.Precisions, epsilon),
            Fa = fa, Ra = ra, Seconds = cell.Seconds,
            FaProb = cell.Records.ToDictionary(r => r.Precision, r => r.FaProb),
            Paired = cell.Records.Where(r => r.Paired.Count > 0).ToDictionary(r => r.Precision, r => r.Paired),
        };
    }

    public void Dispose() => _session?.Dispose();
}
