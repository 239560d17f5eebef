using System.Diagnostics;
using System.Text.Json;
using DurableUn.Certification;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;
using DurableUn.ScaleOut;
using DurableUn.Experiments.Calibration;
using DurableUn.Experiments.Cells;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Studies;

/// <summary>
/// A study (docs/design.md#pipeline): methods × datasets × seeds × precisions, in three resumable phases.
/// <list type="number">
/// <item><see cref="Prepare"/>: the preset model, the synthetic data, target and retain adapters (trained once per
///   dataset), their rows (the target before unlearning; the retain model, whose FA is the floor), and the bf16
///   calibration of every method, shared task by task with any other process preparing the folder. Each artifact is
///   built whole or not at all and reused when present. A dataset's preparation ends with its positive control
///   (<see cref="PositiveControl"/>), a case where rounding must bring the forgetting back, so that a study that finds
///   no recovery shows that it could have seen one.</item>
/// <item><see cref="RunCells"/>: this shard's cells, then any other shard's cell no process has claimed; a finished
///   cell (cells/KEY.json) is skipped, so a killed run resumes without losing or duplicating a cell.</item>
/// <item><see cref="Collect"/>: results.json and the certificates, from whatever cells exist.</item>
/// </list>
/// Preparation and the cells themselves are shared with the sweep (<see cref="DatasetPreparation"/>, <see cref="UnlearnCell"/>).
/// Not: reports (DurableUn.Reporting renders the collected results), Slurm (the CLI submits shards).
/// </summary>
public sealed class Study(StudySpec spec, string root, IStudyObserver observer) : IDisposable
{
    private readonly StudyLayout _layout = new(Path.GetFullPath(root));
    private readonly Dictionary<DatasetKind, DatasetSession> _sessions = [];
    private readonly CellStore _cells = new(new PreparedLayout(Path.GetFullPath(root)).Cells, JsonDefaults.Options);

    public StudyLayout Layout => _layout;

    private PreparedLayout Prepared => _layout.Prepared;
    private DatasetPreparation Preparation => new(spec.Preparation, Prepared, _cells, observer);

    /// <summary>Writes study.json, or checks that the folder's existing spec is this one.</summary>
    public void Initialise()
    {
        spec.Validate();
        SpecFile.Claim(_layout.Spec, JsonSerializer.Serialize(spec, JsonDefaults.Options), "study");
    }

    /// <summary>
    /// The whole preparation, shared with any other process preparing this folder (<see cref="SharedTasks"/>): the
    /// inputs, then every dataset's target and retain adapters, then per dataset the reference measurements and the
    /// calibration of each method. Alone, a process does all of it in that order.
    /// </summary>
    public void Prepare()
    {
        PrepareInputs();
        SharedTasks.Run(PreparationTasks(), _layout.Claims, observer, SharedTasks.Poll);
    }

    /// <summary>study.json, the model and every dataset's data: what all later work reads. Run once before shards
    /// start, so that a base that must be pretrained is trained by one process with every core.</summary>
    public void PrepareInputs()
    {
        Initialise();
        Preparation.EnsureModel();
        foreach (var d in spec.Datasets) Preparation.EnsureData(d);
    }

    private List<SharedTask> PreparationTasks()
    {
        var tasks = new List<SharedTask>();
        // A floor base to pretrain (WPU's) is the longest task: first, so it runs beside the other datasets' fine-tunes.
        foreach (var d in spec.Datasets.Where(spec.Preparation.TargetIsBase))
            tasks.Add(new($"{DatasetNames.Of(d)}-floor-base", () => Preparation.HasAdapter(d, FinetuneSplit.Retain), () => true,
                () => Preparation.EnsureAdapter(d, FinetuneSplit.Retain)));
        foreach (var d in spec.Datasets.Where(d => !spec.Preparation.TargetIsBase(d)))
            foreach (var split in Preparation.Splits(d))
                tasks.Add(new($"{DatasetNames.Of(d)}-{(split == FinetuneSplit.Full ? "target" : "retain")}-adapter",
                    () => Preparation.HasAdapter(d, split), () => true, () => Preparation.EnsureAdapter(d, split)));
        foreach (var d in spec.Datasets)
        {
            tasks.Add(new($"{DatasetNames.Of(d)}-references", () => Preparation.HasReferences(d), () => Preparation.HasAdapters(d),
                () => Preparation.MeasureReferences(Session(d))));
            foreach (var method in spec.Methods)
                tasks.Add(new($"{DatasetNames.Of(d)}-calibration-{method.Name}", () => File.Exists(_layout.Calibration(d, method)),
                    () => Preparation.HasReferences(d), () =>
                    {
                        observer.Stage($"{DatasetNames.Of(d)}: calibrating {method.Name} (bf16 only)");
                        Calibrate(Session(d), method);
                    }));
            if (ControlSource(d) is { } source)
                tasks.Add(new($"{DatasetNames.Of(d)}-positive-control", () => _cells.IsDone(PositiveControl.Key(DatasetNames.Of(d), source.Method)),
                    () => File.Exists(_layout.Calibration(d, source.Method)), () =>
                    {
                        observer.Stage($"{DatasetNames.Of(d)}: positive control ({source.Method.Name}'s update kept inside every {spec.Pipeline.ControlPrecision()} bin)");
                        // The calibration makes the source cell; a run killed between the two leaves it to be made here
                        // (no process runs cells while any preparation task is open).
                        if (!_cells.IsDone(source.Key))
                            _cells.Write(source.Key, UnlearnCell.Run(Session(d), Prepared, source.Key, source.Method, source.Setting, 0, Calibrated(source)));
                        var from = _cells.ReadAll<CellOutcome>()[source.Key];
                        _cells.Write(PositiveControl.Key(DatasetNames.Of(d), source.Method),
                            PositiveControl.Run(Session(d), Prepared, source.Method, from));
                    }));
        }
        return tasks;
    }

    /// <summary>
    /// The cell a dataset's positive control is built from: the calibrated seed-0 run of the study's first method (the
    /// calibration makes it), or none when the study has no seed 0.
    /// </summary>
    /// A study measured at bf16 alone (the calibrate command's) deploys nothing that could show a recovery, so it has none.
    private StudyCell? ControlSource(DatasetKind d) =>
        spec.Seeds.Contains(0) && spec.Precisions.Any(p => p != Deployment.Precision.Bf16) ? new StudyCell(d, spec.Methods[0], CellSetting.Calibrated, 0) : null;

    /// <summary>
    /// This shard's cells, then every cell of the other shards that no process has taken yet, so a shard that finishes
    /// early helps instead of idling (cells differ in cost: a MUSE cell takes about twice a WPU one, and shards may
    /// start at different times). Each cell is claimed under .claims/ before it runs and a finished one is skipped
    /// (<see cref="CellLoop"/>).
    /// </summary>
    public void RunCells(ShardSpec shard)
    {
        var plan = StudyCell.Plan(spec);
        var mine = shard.Select(plan, c => c.Key);
        var others = plan.Except(mine).Reverse().ToList();                         // taken from the end of their owners' lists
        CellLoop.Run(mine, others, c => c.Key, cell =>
        {
            var options = cell.Setting == CellSetting.Published ? Published(cell) : Calibrated(cell);
            return UnlearnCell.Run(Session(cell.Dataset), Prepared, cell.Key, cell.Method, cell.Setting, cell.Seed, options);
        }, _cells, _layout.Claims, observer);
    }

    /// <summary>Merges every finished cell into results.json and writes a certificate per dataset × method × setting.</summary>
    public StudyResults Collect()
    {
        var outcomes = ConsistentCells();
        var records = outcomes.SelectMany(o => o.Records).ToList();
        RefuseShrinkingResults(records.Count);
        AtomicFile.WriteAllText(_layout.Results, JsonSerializer.Serialize(records, JsonDefaults.Options));
        var certificates = new List<Certificate>();
        foreach (var group in outcomes.Where(o => o.AdapterDir != "" && o.Setting != PositiveControl.Setting).GroupBy(o => (o.Dataset, o.Method, o.Setting)))
        {
            var d = spec.Datasets.First(k => DatasetNames.Of(k) == group.Key.Dataset);
            var epsilon = spec.Epsilon ?? AuditEpsilon(d);
            var certificate = StudyCertificates.Build(group.Key.Dataset, group.Key.Method, group.Key.Setting, epsilon, spec, group.ToList(),
                ContentHash.OfFolder(Prepared.Model), ContentHash.OfFolder(Prepared.Data(d)), _layout.Root);
            CertificateFile.Write(Path.Combine(_layout.Certificates, $"{group.Key.Dataset}__{group.Key.Method.Name}__{group.Key.Setting.Name}.json"), certificate);
            certificates.Add(certificate);
        }
        return new StudyResults(outcomes, certificates, Calibrations());
    }

    /// <summary>Every cell, refusing (with the file named) one whose key is not its file name or whose dataset or
    /// method this study does not have: a report must not certify what the study never ran.</summary>
    private List<CellOutcome> ConsistentCells()
    {
        var cells = _cells.ReadAll<CellOutcome>();
        var datasets = spec.Datasets.Select(DatasetNames.Of).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, cell) in cells)
        {
            var file = _cells.PathOf(key);
            if (cell.Key != key) throw new InvalidDataException($"Cell file {file}: key \"{cell.Key}\" is not its file name");
            if (!datasets.Contains(cell.Dataset)) throw new InvalidDataException($"Cell file {file}: dataset \"{cell.Dataset}\" is not one of this study's ({string.Join(", ", datasets)})");
            if (!cell.Method.IsReference && !spec.Methods.Contains(cell.Method.Method!))
                throw new InvalidDataException($"Cell file {file}: method \"{cell.Method}\" is not one of this study's methods");
        }
        return cells.Values.ToList();
    }

    /// <summary>results.json is only ever replaced by one with at least as many records; fewer means cells were lost.</summary>
    private void RefuseShrinkingResults(int records)
    {
        if (!File.Exists(_layout.Results)) return;
        int before;
        try { before = JsonSerializer.Deserialize<List<CellRecord>>(File.ReadAllText(_layout.Results), JsonDefaults.Options)?.Count ?? 0; }
        catch (JsonException) { return; }   // an unreadable results.json is rebuilt from the cells
        if (records < before)
            throw new InvalidOperationException($"{_layout.Results} holds {before} records but {_cells.Folder} only {records}: " +
                                                "cells are missing; restore them, or delete results.json to rebuild it from what is there");
    }

    public IReadOnlyList<CalibrationResult> Calibrations() =>
        (from d in spec.Datasets from m in spec.Methods where File.Exists(_layout.Calibration(d, m))
         select JsonFile.Read<CalibrationResult>(_layout.Calibration(d, m), JsonDefaults.Options)).ToList();

    private DatasetSession Session(DatasetKind d)
    {
        if (!_sessions.TryGetValue(d, out var session))
            _sessions[d] = session = new DatasetSession(Prepared, spec.Preparation, d, spec.Metric, spec.Precisions, spec.RetainEvalItems, spec.SuitePrecisions);
        return session;
    }

    /// <summary>The floor (retain model's FA_bf16 on the forget set) plus the margin, unless the spec fixes ε.</summary>
    public double AuditEpsilon(DatasetKind d) => spec.AuditEpsilon ?? Preparation.Floor(d) + spec.AuditMargin;

    /// <summary>
    /// Runs the ladder search for one method (bf16 only). The run at the chosen rung is seed 0's calibrated run, so
    /// it becomes that cell directly instead of being trained again (the same options and seed give the same model).
    /// </summary>
    private void Calibrate(DatasetSession session, MethodEntry entry)
    {
        var epsilon = AuditEpsilon(session.Kind);
        var ladder = CalibrationSearch.Ladder(spec.LadderLr, spec.LadderSteps);
        var runs = new Dictionary<(double, int), (UnlearnResult Result, double Seconds)>();
        try
        {
            var (chosen, passed, probes) = CalibrationSearch.Find(ladder, epsilon, (lr, steps) =>
            {
                var watch = Stopwatch.StartNew();
                var result = session.Unlearn(entry, entry.DefaultsFor(spec.Pipeline).WithSchedule(lr, steps, spec.BatchSize), seed: 0);
                runs[(lr, steps)] = (result, watch.Elapsed.TotalSeconds);
                return session.Audit(result.Model);
            });
            AtomicFile.WriteAllText(_layout.Calibration(session.Kind, entry), JsonSerializer.Serialize(new CalibrationResult
            {
                Dataset = session.Name, Method = entry.Name, AuditEpsilon = epsilon,
                Ladder = ladder.Select(r => new LadderRung(r.Lr, r.Steps)).ToList(),
                Probes = probes, Chosen = chosen, Passed = passed,
            }, JsonDefaults.Options));
            var seedZero = new StudyCell(session.Kind, entry, CellSetting.Calibrated, 0);
            if (spec.Seeds.Contains(0) && !_cells.IsDone(seedZero.Key))
            {
                var (result, seconds) = runs[(chosen.Lr, chosen.Steps)];
                _cells.Write(seedZero.Key, UnlearnCell.Finish(session, Prepared, seedZero.Key, entry, CellSetting.Calibrated, 0, result, seconds));
            }
        }
        finally
        {
            foreach (var (result, _) in runs.Values) result.Model.Dispose();
        }
    }

    /// <summary>The method's published options with OU's schedule of 10 epochs over this benchmark's forget set
    /// (<see cref="MethodDefaults.StepsFor"/>): the options records default to 130 steps, which are those epochs on
    /// the real forget10 (400 items) but 130 passes or more over a 20-item synthetic one.</summary>
    private IMethodOptions Published(StudyCell cell)
    {
        var defaults = cell.Method.DefaultsFor(spec.Pipeline);
        return defaults.WithSchedule(defaults.Lr, MethodDefaults.StepsFor(Session(cell.Dataset).Task.Forget.Count, defaults.BatchSize), defaults.BatchSize);
    }

    private IMethodOptions Calibrated(StudyCell cell)
    {
        var path = _layout.Calibration(cell.Dataset, cell.Method);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: run the study's preparation before its cells");
        var calibration = JsonFile.Read<CalibrationResult>(path, JsonDefaults.Options);
        return cell.Method.DefaultsFor(spec.Pipeline).WithSchedule(calibration.Chosen.Lr, calibration.Chosen.Steps, spec.BatchSize);
    }

    public void Dispose()
    {
        foreach (var s in _sessions.Values) s.Dispose();
        _sessions.Clear();
    }
}
