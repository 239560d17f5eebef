using DurableUn.IO;
using System.Diagnostics;
using System.Text.Json;
using DurableUn.Adapters;
using DurableUn.Certification;
using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Finetuning;
using DurableUn.Methods;
using DurableUn.Presets;

namespace DurableUn.Experiments;

/// <summary>
/// A study (DESIGN.md §3): methods × datasets × seeds × precisions, in three resumable phases.
/// <list type="number">
/// <item><see cref="Prepare"/>: the preset model, the synthetic data, target and retain adapters (trained once per
///   dataset), their rows (the target before unlearning; the retain model, whose FA is the floor), and the bf16
///   calibration of every method. Each artifact is built whole or not at all and reused when present.</item>
/// <item><see cref="RunCells"/>: this shard's cells; a finished cell (cells/KEY.json) is skipped, so a killed run
///   resumes without losing or duplicating a cell.</item>
/// <item><see cref="Collect"/>: results.json and the certificates, from whatever cells exist.</item>
/// </list>
/// Not: reports (DurableUn.Reporting renders the collected results), Slurm (the CLI submits shards).
/// </summary>
public sealed class Study(StudySpec spec, string root, IStudyObserver observer) : IDisposable
{
    private readonly StudyLayout _layout = new(Path.GetFullPath(root));
    private readonly Dictionary<DatasetKind, DatasetSession> _sessions = [];
    private readonly CellStore _cells = new(Path.Combine(Path.GetFullPath(root), "cells"), FinetuneRun.Json);

    public StudyLayout Layout => _layout;

    /// <summary>Writes study.json, or checks that the folder's existing spec is this one.</summary>
    public void Initialise()
    {
        spec.Validate();
        var json = JsonSerializer.Serialize(spec, FinetuneRun.Json);
        if (File.Exists(_layout.Spec))
        {
            var existing = File.ReadAllText(_layout.Spec);
            if (existing != json)
                throw new InvalidOperationException($"{_layout.Spec} holds another study's spec; use a new --out folder (results of two specs never mix)");
            return;
        }
        AtomicFile.WriteAllText(_layout.Spec, json);
    }

    public void Prepare()
    {
        Initialise();
        observer.Stage("preset model");
        AtomicFolder.Ensure(_layout.Model, dir => PresetInitializer.Write(spec.Preset, spec.DataSeed, dir));
        foreach (var d in spec.Datasets)
        {
            var name = StudySpec.DatasetName(d);
            observer.Stage($"{name}: data");
            AtomicFolder.Ensure(_layout.Data(d), dir => SyntheticDatasets.Write(d, ModelPresets.Data(spec.Preset), spec.DataSeed, dir));
            observer.Stage($"{name}: target adapter (forget ∪ retain)");
            AtomicFolder.Ensure(_layout.Target(d), dir => Finetune(d, FinetuneSplit.Full, dir));
            observer.Stage($"{name}: retain adapter (the floor)");
            AtomicFolder.Ensure(_layout.Retain(d), dir => Finetune(d, FinetuneSplit.Retain, dir));
            var session = Session(d);
            ReferenceCell(session, "retain", _layout.Retain(d));   // first: its suite numbers are every other model's reference
            ReferenceCell(session, "target", _layout.Target(d));
            foreach (var method in spec.Methods)
                if (!File.Exists(_layout.Calibration(d, method)))
                {
                    observer.Stage($"{name}: calibrating {method} (bf16 only)");
                    Calibrate(session, method);
                }
        }
    }

    public void RunCells(ShardSpec shard)
    {
        var mine = shard.Select(StudyCell.Plan(spec), c => c.Key);
        var done = 0;
        foreach (var cell in mine)
        {
            if (_cells.IsDone(cell.Key))
            {
                observer.CellDone(cell.Key, ++done, mine.Count, 0, skipped: true);
                continue;
            }
            var watch = Stopwatch.StartNew();
            RunCell(cell);
            observer.CellDone(cell.Key, ++done, mine.Count, watch.Elapsed.TotalSeconds, skipped: false);
        }
    }

    /// <summary>Merges every finished cell into results.json and writes a certificate per dataset × method × setting.</summary>
    public StudyResults Collect()
    {
        var outcomes = _cells.ReadAll<CellOutcome>().Values.ToList();
        var records = outcomes.SelectMany(o => o.Records).ToList();
        AtomicFile.WriteAllText(_layout.Results, JsonSerializer.Serialize(records, FinetuneRun.Json));
        var certificates = new List<Certificate>();
        foreach (var group in outcomes.Where(o => o.AdapterDir != "").GroupBy(o => (o.Dataset, o.Method, o.Setting)))
        {
            var d = spec.Datasets.First(k => StudySpec.DatasetName(k) == group.Key.Dataset);
            var epsilon = spec.Epsilon ?? AuditEpsilon(d);
            var certificate = StudyCertificates.Build(group.Key.Dataset, group.Key.Method, group.Key.Setting, epsilon, spec, group.ToList(),
                ContentHash.OfFolder(_layout.Model), ContentHash.OfFolder(_layout.Data(d)), _layout.Root);
            AtomicFile.WriteAllText(Path.Combine(_layout.Certificates, $"{group.Key.Dataset}__{group.Key.Method}__{group.Key.Setting}.json"),
                JsonSerializer.Serialize(certificate, FinetuneRun.Json));
            certificates.Add(certificate);
        }
        return new StudyResults(outcomes, certificates, Calibrations());
    }

    public IReadOnlyList<CalibrationResult> Calibrations() =>
        (from d in spec.Datasets from m in spec.Methods where File.Exists(_layout.Calibration(d, m))
         select JsonSerializer.Deserialize<CalibrationResult>(File.ReadAllText(_layout.Calibration(d, m)), FinetuneRun.Json)!).ToList();

    private void Finetune(DatasetKind d, FinetuneSplit split, string outDir)
    {
        var qlora = new QLoraOptions { Lora = new LoraOptions { Rank = spec.LoraRank, Alpha = spec.LoraAlpha } };
        var options = new FinetuneOptions { Steps = spec.FinetuneSteps, LearningRate = spec.FinetuneLr, Seed = (long)spec.DataSeed };
        FinetuneRun.Execute(_layout.Model, _layout.Data(d), split, options, qlora, new PromptTemplate.Plain(), outDir, includeTexts: spec.TrainOnTexts);
    }

    private DatasetSession Session(DatasetKind d)
    {
        if (!_sessions.TryGetValue(d, out var session)) _sessions[d] = session = new DatasetSession(spec, _layout, d);
        return session;
    }

    private void ReferenceCell(DatasetSession session, string role, string adapterDir)
    {
        var key = $"{session.Name}__{role}__{StudyCell.Calibrated}__seed0";
        if (_cells.IsDone(key)) return;
        observer.Stage($"{session.Name}: measuring the {role} model");
        using var model = role == "target" ? null : AdaptedModel.Load(_layout.Model, adapterDir);
        var qlora = (model ?? session.Target).Model;
        var measured = session.Measure(qlora);
        var suites = session.Suites(qlora, isRetainModel: role == "retain");
        if (role == "retain" && suites.TryGetValue("bf16", out var retainSuite)) SuiteReference.From(retainSuite).Write(adapterDir);
        var record = JsonSerializer.Deserialize<FinetuneRecord>(File.ReadAllText(Path.Combine(adapterDir, FinetuneRun.RecordFile)), FinetuneRun.Json)!;
        _cells.Write(key, new CellOutcome
        {
            Key = key, Dataset = session.Name, Method = role, Setting = StudyCell.Calibrated, Seed = 0,
            Options = new Dictionary<string, string> { ["finetune_steps"] = $"{spec.FinetuneSteps}", ["lora_rank"] = $"{spec.LoraRank}" },
            Records = session.Records(role, StudyCell.Calibrated, 0, measured, suites),
            Items = PrecisionEvaluation.Items(session.Task.Forget, measured),
            Curve = record.Curve,
        });
    }

    /// <summary>The floor (retain model's FA_bf16 on the forget set) plus the margin, unless the spec fixes ε.</summary>
    public double AuditEpsilon(DatasetKind d)
    {
        if (spec.AuditEpsilon is { } fixedEpsilon) return fixedEpsilon;
        var key = $"{StudySpec.DatasetName(d)}__retain__{StudyCell.Calibrated}__seed0";
        var retain = _cells.ReadAll<CellOutcome>().GetValueOrDefault(key)
                     ?? throw new InvalidOperationException($"the retain model of {StudySpec.DatasetName(d)} has not been measured yet; run the study's preparation first");
        return retain.Records.First(r => r.Precision == "bf16").Fa + spec.AuditMargin;
    }

    /// <summary>
    /// Runs the ladder search for one method (bf16 only). The run at the chosen rung is seed 0's calibrated run, so
    /// it becomes that cell directly instead of being trained again (the same options and seed give the same model).
    /// </summary>
    private void Calibrate(DatasetSession session, string method)
    {
        var epsilon = AuditEpsilon(session.Kind);
        var ladder = CalibrationSearch.Ladder(spec.LadderLr, spec.LadderSteps);
        var bf16 = new[] { Deployment.Precision.Bf16 };
        var runs = new Dictionary<(double, int), (UnlearnResult Result, double Seconds)>();
        try
        {
            var (chosen, passed, probes) = CalibrationSearch.Find(ladder, epsilon, (lr, steps) =>
            {
                var watch = Stopwatch.StartNew();
                var result = UnlearnRun.Execute(session.Target.Model, MethodCatalog.Find(method), Assignments(lr, steps), session.Task, session.Encoder, seed: 0);
                runs[(lr, steps)] = (result, watch.Elapsed.TotalSeconds);
                var m = session.Measure(result.Model, bf16)[0];
                return (m.Forget.Aggregate, m.Retain.Aggregate);
            });
            AtomicFile.WriteAllText(_layout.Calibration(session.Kind, method), JsonSerializer.Serialize(new CalibrationResult
            {
                Dataset = session.Name, Method = method, AuditEpsilon = epsilon,
                Ladder = ladder.Select(r => new LadderRung(r.Lr, r.Steps)).ToList(),
                Probes = probes, Chosen = chosen, Passed = passed,
            }, FinetuneRun.Json));
            var seedZero = new StudyCell(session.Kind, method, StudyCell.Calibrated, 0);
            if (spec.Seeds.Contains(0) && !_cells.IsDone(seedZero.Key))
            {
                var (result, seconds) = runs[(chosen.Lr, chosen.Steps)];
                WriteCell(seedZero, session, result, seconds);
            }
        }
        finally
        {
            foreach (var (result, _) in runs.Values) result.Model.Dispose();
        }
    }

    private IReadOnlyList<string> Assignments(double lr, int steps) =>
        [$"lr={lr.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", $"steps={steps}", $"batch_size={spec.BatchSize}"];

    private void RunCell(StudyCell cell)
    {
        var session = Session(cell.Dataset);
        IReadOnlyList<string> assignments = cell.Setting == StudyCell.Published ? [] : Calibrated(cell);
        var watch = Stopwatch.StartNew();
        var result = UnlearnRun.Execute(session.Target.Model, MethodCatalog.Find(cell.Method), assignments, session.Task, session.Encoder, cell.Seed);
        using var model = result.Model;
        WriteCell(cell, session, result, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Measures an unlearned model at every precision, keeps its adapter (for certify) and publishes the cell.</summary>
    private void WriteCell(StudyCell cell, DatasetSession session, UnlearnResult result, double trainSeconds)
    {
        var watch = Stopwatch.StartNew();
        var measured = session.Measure(result.Model);
        var suites = session.Suites(result.Model);
        var adapterDir = _layout.Adapter(cell.Key);
        if (Directory.Exists(adapterDir)) Directory.Delete(adapterDir, recursive: true);  // left by a killed run of this cell
        var options = UnlearnRecord.Text(result.Options);
        var curve = result.Curve.Select(c => new CurvePoint(c.Step, c.Loss, c.LearningRate)).ToList();
        var record = new UnlearnRecord
        {
            BaseModel = _layout.Model, BaseSha256 = session.BaseSha256,
            Data = _layout.Data(cell.Dataset), DataSha256 = session.DataSha256,
            TargetAdapter = _layout.Target(cell.Dataset), TargetAdapterSha256 = session.TargetSha256,
            Method = cell.Method, Seed = cell.Seed, Template = "plain", Options = options, Curve = curve, Seconds = trainSeconds,
        };
        FinetuneRun.SaveAdapterFolder(adapterDir, result.Model.Adapter, _layout.Model,
            dir => File.WriteAllText(Path.Combine(dir, FinetuneRun.RecordFile), JsonSerializer.Serialize(record, FinetuneRun.Json)));
        _cells.Write(cell.Key, new CellOutcome
        {
            Key = cell.Key, Dataset = session.Name, Method = cell.Method, Setting = cell.Setting, Seed = cell.Seed,
            Options = options, AdapterSha256 = ContentHash.OfFolder(adapterDir), AdapterDir = Path.GetRelativePath(_layout.Root, adapterDir),
            Records = session.Records(cell.Method, cell.Setting, cell.Seed, measured, suites),
            Items = PrecisionEvaluation.Items(session.Task.Forget, measured),
            Curve = curve, Seconds = trainSeconds + watch.Elapsed.TotalSeconds,
        });
    }

    private IReadOnlyList<string> Calibrated(StudyCell cell)
    {
        var path = _layout.Calibration(cell.Dataset, cell.Method);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: run the study's preparation before its cells");
        var calibration = JsonSerializer.Deserialize<CalibrationResult>(File.ReadAllText(path), FinetuneRun.Json)!;
        return Assignments(calibration.Chosen.Lr, calibration.Chosen.Steps);
    }

    public void Dispose()
    {
        foreach (var s in _sessions.Values) s.Dispose();
        _sessions.Clear();
    }
}

/// <summary>What a study has produced so far.</summary>
public sealed record StudyResults(IReadOnlyList<CellOutcome> Cells, IReadOnlyList<Certificate> Certificates, IReadOnlyList<CalibrationResult> Calibrations);
