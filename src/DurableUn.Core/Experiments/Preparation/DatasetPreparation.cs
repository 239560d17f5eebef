using System.Text.Json;
using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Finetuning;
using DurableUn.IO;
using DurableUn.Presets;
using DurableUn.Pretraining;
using DurableUn.Pipelines;
using DurableUn.Runs;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Preparation;

/// <summary>
/// Prepares one benchmark for the unlearning cells of a study or sweep: the preset model, the synthetic data, the
/// target (forget ∪ retain) and the retain model (never saw the forget set) — LoRA adapters on the NF4 base in the
/// adapter pipeline, full fine-tunes of the base in the others (<see cref="PreparedModels"/>); for WPU on the pretrained
/// base (<see cref="PreparationSpec.TargetIsBase"/>) no fine-tune: the target is the base and the retain model the floor
/// base, pretrained on the same corpus without the forget people and cached beside it — then the two reference cells
/// that measure them: the target before unlearning, and the retain model whose FA on the forget set is the floor.
/// Each artifact is built whole or not at all (<see cref="AtomicFolder"/>, <see cref="CellStore"/>) and reused when
/// present, so a rerun or a second shard does nothing twice.
/// Not: calibration (a study's step), unlearning cells (<see cref="Cells.UnlearnCell"/>), loading models for the cells
/// (<see cref="DatasetSession"/>).
/// </summary>
internal sealed class DatasetPreparation(PreparationSpec spec, PreparedLayout layout, CellStore cells, IStudyObserver observer)
{
    /// <summary>Builds whatever is missing of the model, the data and the target and retain models of <paramref name="d"/>.</summary>
    public void Ensure(DatasetKind d)
    {
        EnsureModel();
        EnsureData(d);
        foreach (var split in Splits(d)) EnsureAdapter(d, split);
    }

    /// <summary>The models <paramref name="d"/> prepares: the target and the retain model, or the retain model (the
    /// floor base) alone when the target is the study's base.</summary>
    public IReadOnlyList<FinetuneSplit> Splits(DatasetKind d) =>
        spec.TargetIsBase(d) ? [FinetuneSplit.Retain] : [FinetuneSplit.Full, FinetuneSplit.Retain];

    /// <summary>The preset model: the base every adapter of every dataset is trained and measured on.</summary>
    public void EnsureModel()
    {
        observer.Stage(spec.Base == BaseModel.Pretrained ? "preset model (pretrained base: from the cache, pretrained into it first if absent)" : "preset model (random base)");
        AtomicFolder.Ensure(layout.Model, dir =>
        {
            if (spec.Base == BaseModel.Random) PresetInitializer.Write(spec.Preset, spec.DataSeed, dir);
            else PresetBase.Write(spec.Preset, spec.DataSeed, spec.Pretraining, CacheDir, dir, forgetSize: spec.ForgetSize);
        });
    }

    /// <summary>The synthetic data of <paramref name="d"/>.</summary>
    public void EnsureData(DatasetKind d)
    {
        observer.Stage($"{DatasetNames.Of(d)}: data");
        AtomicFolder.Ensure(layout.Data(d), dir => SyntheticDatasets.Write(d, ModelPresets.Data(spec.Preset), spec.DataSeed, dir, forgetSize: spec.ForgetSize));
    }

    /// <summary>The target adapter (<see cref="FinetuneSplit.Full"/>: forget ∪ retain) or the retain adapter of
    /// <paramref name="d"/>; when the target is the base, its retain model is the floor base instead.</summary>
    public void EnsureAdapter(DatasetKind d, FinetuneSplit split)
    {
        if (spec.TargetIsBase(d))
        {
            if (split == FinetuneSplit.Full) return;                                  // the target is the model, built first
            observer.Stage($"{DatasetNames.Of(d)}: floor base (pretrained without the forget people: from the cache, pretrained into it first if absent)");
            AtomicFolder.Ensure(layout.Retain(d), dir => PresetBase.Write(spec.Preset, spec.DataSeed, spec.Pretraining, CacheDir, dir,
                forgetSize: spec.ForgetSize, variant: BaseVariant.Floor));
            return;
        }
        var kind = spec.Pipeline == Pipeline.Adapter ? "adapter" : "model (full fine-tune)";
        var what = split == FinetuneSplit.Full ? $"target {kind} (forget ∪ retain)" : $"retain {kind} (the floor)";
        observer.Stage($"{DatasetNames.Of(d)}: {what}");
        AtomicFolder.Ensure(AdapterFolder(d, split), dir => Finetune(d, split, dir));
    }

    public bool HasAdapter(DatasetKind d, FinetuneSplit split) => Directory.Exists(AdapterFolder(d, split));

    public bool HasAdapters(DatasetKind d) => HasAdapter(d, FinetuneSplit.Full) && HasAdapter(d, FinetuneSplit.Retain);

    private string AdapterFolder(DatasetKind d, FinetuneSplit split) =>
        split == FinetuneSplit.Full ? PreparedModels.TargetFolder(layout, spec, d) : layout.Retain(d);

    private string CacheDir => spec.CacheDir ?? PretrainedBases.DefaultCacheDir();

    public bool HasReferences(DatasetKind d) =>
        cells.IsDone(ReferenceKey(DatasetNames.Of(d), MeasuredModel.Retain)) && cells.IsDone(ReferenceKey(DatasetNames.Of(d), MeasuredModel.Target));

    /// <summary>Measures the target and retain models at every precision of the session, unless already done.</summary>
    public void MeasureReferences(DatasetSession session)
    {
        ReferenceCell(session, MeasuredModel.Retain, layout.Retain(session.Kind));   // first: its suite numbers are every other model's reference
        ReferenceCell(session, MeasuredModel.Target, session.TargetFolder);
    }

    /// <summary>The floor: FA_bf16 on the forget set of the retain model, a model that never saw it.</summary>
    public double Floor(DatasetKind d)
    {
        var key = ReferenceKey(DatasetNames.Of(d), MeasuredModel.Retain);
        var retain = cells.ReadAll<CellOutcome>().GetValueOrDefault(key)
                     ?? throw new InvalidOperationException($"the retain model of {DatasetNames.Of(d)} has not been measured yet; run the preparation first");
        return retain.Records.First(r => r.Precision == Precision.Bf16).Fa;
    }

    /// The reference cells' keys: the target or retain model, the study's calibrated setting, seed 0.
    private static string ReferenceKey(string dataset, MeasuredModel role) => $"{dataset}__{role.Name}__{CellSetting.Calibrated.Name}__seed0";

    private void Finetune(DatasetKind d, FinetuneSplit split, string outDir)
    {
        var options = new FinetuneOptions { Steps = spec.FinetuneSteps, LearningRate = spec.FinetuneLr, Seed = (long)spec.DataSeed };
        if (spec.Pipeline != Pipeline.Adapter)
        {
            FullFinetuneRun.Execute(layout.Model, layout.Data(d), split, options, new PromptTemplate.Plain(), outDir, includeTexts: spec.TrainOnTexts);
            return;
        }
        var qlora = new QLoraOptions { Lora = new LoraOptions { Rank = spec.LoraRank, Alpha = spec.LoraAlpha } };
        FinetuneRun.Execute(layout.Model, layout.Data(d), split, options, qlora, new PromptTemplate.Plain(), outDir, includeTexts: spec.TrainOnTexts);
    }

    private void ReferenceCell(DatasetSession session, MeasuredModel role, string adapterDir)
    {
        var key = ReferenceKey(session.Name, role);
        if (cells.IsDone(key)) return;
        observer.Stage($"{session.Name}: measuring the {role} model");
        using var model = role.Role == ModelRole.Target ? null : PreparedModels.Load(layout, session.Kind, FinetuneSplit.Retain, spec);
        var qlora = (model ?? session.Target).Model;
        var measured = session.Measure(qlora);
        var suites = session.Suites(qlora, isRetainModel: role.Role == ModelRole.Retain);
        if (role.Role == ModelRole.Retain && suites.TryGetValue(Precision.Bf16.Name, out var retainSuite)) SuiteReference.From(retainSuite).Write(adapterDir);
        // A pretrained base (WPU's target and floor) has no fine-tuning record: its options are its pretraining's, and no curve.
        var pretrained = spec.TargetIsBase(session.Kind);
        var curve = pretrained ? [] : JsonFile.Read<FinetuneRecord>(Path.Combine(adapterDir, FinetuneRun.RecordFile), JsonDefaults.Options).Curve;
        cells.Write(key, new CellOutcome
        {
            Key = key, Dataset = session.Name, Method = role, Setting = CellSetting.Calibrated, Seed = 0,
            Options = pretrained
                ? new Dictionary<string, string> { ["pretrain_steps"] = $"{spec.Pretraining.Steps}", ["people_repeats"] = $"{spec.Pretraining.PeopleRepeats}", ["lora_rank"] = $"{spec.LoraRank}" }
                : new Dictionary<string, string> { ["finetune_steps"] = $"{spec.FinetuneSteps}", ["lora_rank"] = $"{spec.LoraRank}" },
            Records = session.Records(role, CellSetting.Calibrated, 0, measured, suites),
            Items = PrecisionEvaluation.Items(session.Task.Forget, measured),
            Curve = curve,
        });
    }
}
