using System.Text.Json.Serialization;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Finetuning;
using DurableUn.Methods;
using DurableUn.Pipelines;
using DurableUn.Presets;
using DurableUn.Pretraining;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// Everything that defines a study, resolved once and saved as study.json in its folder: rerunning with another
/// spec in the same folder is refused (results of two specs never mix). Defaults are the tiny study of the README;
/// each has its reason beside it.
/// </summary>
public sealed record StudySpec
{
    [JsonPropertyName("preset")] public ModelPreset Preset { get; init; } = ModelPreset.Tiny;
    /// The QLoRA adapter pipeline, the paper's regime (docs/design.md#pipelines); written only when it is another one,
    /// so study.json files from before pipelines existed compare unchanged on a rerun.
    [JsonPropertyName("pipeline"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Pipeline Pipeline { get; init; }
    /// The three benchmarks of the paper (TOFU, MUSE-News, WPU), in their synthetic form unless folders are given.
    [JsonPropertyName("datasets")] public IReadOnlyList<DatasetKind> Datasets { get; init; } = [DatasetKind.Tofu, DatasetKind.Muse, DatasetKind.Wpu];
    /// Every method of the catalog, in its order.
    [JsonPropertyName("methods"), JsonConverter(typeof(MethodListJson))] public IReadOnlyList<MethodEntry> Methods { get; init; } = MethodCatalog.All;
    /// Three seeds, as the paper.
    [JsonPropertyName("seeds")] public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];
    /// The paper's precisions.
    [JsonPropertyName("precisions"), JsonConverter(typeof(PrecisionListJson))]
    public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Bf16, Precision.Int8, Precision.Int4];
    /// FA/RA metric: key-fact recall of the greedy answer, whose floor (a model that never saw the fact) is near 0, so
    /// FA_int4 / FA_bf16 can show recovery; token accuracy's floor is 0.4–0.5 (shared answer templates). Token accuracy
    /// is still recorded in every cell's metrics (docs/design.md#forget-and-retain-accuracy). Old study.json files
    /// name their metric and keep it.
    [JsonPropertyName("metric"), JsonConverter(typeof(AccuracyMetricJson))] public AccuracyMetric Metric { get; init; } = AccuracyMetric.KeyFact;
    /// Seed of the synthetic data and of the preset model's initialisation (its vocabulary covers that data).
    [JsonPropertyName("data_seed")] public ulong DataSeed { get; init; }
    /// Least number of forget QA items of the synthetic data, its entity counts grown in proportion (TOFU: forget10
    /// stays 10 % of the authors). Null = the preset's size (tiny: 20 TOFU, 24 MUSE, 12 WPU forget items; one TOFU answer is 0.05 of FA),
    /// which keeps the main job in its time budget; 200 makes one answer ≤ 0.005 of FA at about ten times the
    /// fine-tuning data (README says what it costs). Not written when null (study.json stays byte for byte as before).
    [JsonPropertyName("forget_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ForgetSize { get; init; }
    /// Audit target for calibration: FA_bf16 must reach it. Null = the floor (the retain model's FA_bf16 on the
    /// forget set) plus <see cref="AuditMargin"/>, since token accuracy of a model that never saw the data is far
    /// from 0 (answer templates are shared) and "forgotten" means "no better than never having seen it".
    [JsonPropertyName("audit_epsilon")] public double? AuditEpsilon { get; init; }
    /// Margin above the floor when audit_epsilon is not given (5 points).
    [JsonPropertyName("audit_margin")] public double AuditMargin { get; init; } = 0.05;
    /// Certificate ε; null = the audit target (the question is then: does the bf16 audit's verdict survive INT4?).
    [JsonPropertyName("epsilon")] public double? Epsilon { get; init; }
    /// Methods that also get a second row at the paper's published hyperparameters (claim 5 compares SalUn's); a
    /// method here that the study does not run adds nothing.
    [JsonPropertyName("published_rows"), JsonConverter(typeof(MethodListJson))] public IReadOnlyList<MethodEntry> PublishedRows { get; init; } = [MethodCatalog.SalUn];
    /// Examples per unlearning step, for every method (the tiny forget sets hold 20–24 items).
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 16;
    /// Learning-rate rungs of the calibration ladder (× <see cref="LadderSteps"/>), weakest first; ~2× apart so
    /// the weakest passing rung does not overshoot the audit target by much (15 rungs, ~4 probes per method).
    [JsonPropertyName("ladder_lr")] public IReadOnlyList<double> LadderLr { get; init; } = [2e-4, 5e-4, 1e-3, 2e-3, 5e-3];
    /// Step-count rungs of the calibration ladder.
    [JsonPropertyName("ladder_steps")] public IReadOnlyList<int> LadderSteps { get; init; } = [5, 10, 20];
    /// The NF4 base: the preset pretrained on general synthetic text (cached), so the adapters only add the facts as
    /// in QLoRA; "random" is the old regime, where the adapter carries all of the language.
    [JsonPropertyName("base")] public BaseModel Base { get; init; } = BaseModel.Pretrained;
    /// Pretraining steps of the base; null = the preset's default (<see cref="PretrainOptions.For"/>).
    [JsonPropertyName("pretrain_steps")] public int? PretrainSteps { get; init; }
    /// Where pretrained bases are cached (not part of the study's identity; null = the user's cache directory).
    [JsonIgnore] public string? CacheDir { get; init; }
    /// Fine-tuning of target and retain adapters: steps. 400 (300 for smoke), the budget the random-base study
    /// memorised tiny TOFU in; on a pretrained base only the facts are new. The report's notes state the target's
    /// key-fact recall it reaches (the target row) and the floor (the retain row).
    [JsonPropertyName("finetune_steps")] public int FinetuneSteps { get; init; } = 400;
    /// Fine-tuning learning rate: QLoRA's 2e-4 at d 4096 scaled by sqrt(4096 / d) (<see cref="QLoraDefaults"/>);
    /// 1.13e-3 for tiny.
    [JsonPropertyName("finetune_lr")] public double FinetuneLr { get; init; } = QLoraDefaults.LearningRate(ModelPreset.Tiny);
    /// Also fine-tune on the raw texts (MUSE articles, WPU pages). Off by default: at 128-token chunks they tripled
    /// the MUSE target's time in the tiny study, and FA/RA are measured on QA items either way.
    [JsonPropertyName("train_on_texts")] public bool TrainOnTexts { get; init; }
    /// LoRA rank of target, retain and unlearned adapters (<see cref="QLoraDefaults.Rank"/>: 16).
    [JsonPropertyName("lora_rank")] public int LoraRank { get; init; } = QLoraDefaults.Rank;
    /// LoRA alpha (<see cref="QLoraDefaults.Alpha"/>: 32, scale α/r = 2).
    [JsonPropertyName("lora_alpha")] public double LoraAlpha { get; init; } = QLoraDefaults.Alpha;
    /// Precisions at which each model also gets its benchmark suite (TOFU forget quality, MUSE KnowMem, MIA AUCs…);
    /// bf16 only by default: the suites generate text, which costs more than all FA/RA measurements together.
    [JsonPropertyName("suite_precisions"), JsonConverter(typeof(PrecisionListJson))]
    public IReadOnlyList<Precision> SuitePrecisions { get; init; } = [Precision.Bf16];
    /// RA is measured on at most this many retain items (a fixed subset, as large as the forget set's 20–24).
    [JsonPropertyName("retain_eval_items")] public int RetainEvalItems { get; init; } = 24;

    /// What the study's model, data and target/retain adapters are built from.
    [JsonIgnore] public PreparationSpec Preparation => new()
    {
        Preset = Preset, Pipeline = Pipeline, DataSeed = DataSeed, FinetuneSteps = FinetuneSteps, FinetuneLr = FinetuneLr, TrainOnTexts = TrainOnTexts,
        LoraRank = LoraRank, LoraAlpha = LoraAlpha, Base = Base, PretrainSteps = PretrainSteps, CacheDir = CacheDir,
        ForgetSize = ForgetSize,
    };

    /// <summary>The smoke study: the same pipeline, small enough for CI.</summary>
    public static StudySpec Smoke { get; } = new()
    {
        Preset = ModelPreset.Smoke, Seeds = [0, 1], FinetuneSteps = 300, FinetuneLr = QLoraDefaults.LearningRate(ModelPreset.Smoke), LadderSteps = [5, 10],
        BatchSize = 8, RetainEvalItems = 20,
    };

    public static StudySpec For(ModelPreset preset) =>
        preset == ModelPreset.Smoke ? Smoke : new StudySpec { Preset = preset, FinetuneLr = QLoraDefaults.LearningRate(preset) };

    /// <summary>
    /// The study of <paramref name="preset"/> in <paramref name="pipeline"/>: its default precisions
    /// (<see cref="PipelineDeployments.DefaultPrecisions"/>), and in the pipelines that start from a full fine-tune that
    /// fine-tune's learning rate and the calibration ladder of full-parameter unlearning
    /// (<see cref="FullFinetuneDefaults"/>).
    /// </summary>
    public static StudySpec For(ModelPreset preset, Pipeline pipeline)
    {
        var spec = For(preset) with { Pipeline = pipeline, Precisions = pipeline.DefaultPrecisions() };
        if (pipeline == Pipeline.Adapter) return spec;
        spec = spec with { FinetuneLr = FullFinetuneDefaults.LearningRate(preset) };
        return pipeline == Pipeline.Full ? spec with { LadderLr = FullFinetuneDefaults.UnlearningLadder } : spec;
    }

    public StudySpec Validate()
    {
        if (Datasets.Count == 0) throw new ArgumentException("datasets: at least one is needed");
        if (Methods.Count == 0) throw new ArgumentException("methods: at least one is needed");
        if (Methods.Distinct().Count() != Methods.Count) throw new ArgumentException("methods: each method once");
        if (Seeds.Count == 0 || Seeds.Distinct().Count() != Seeds.Count) throw new ArgumentException("seeds: give one or more distinct seeds");
        if (Precisions.Count == 0) throw new ArgumentException("precisions: at least one is needed");
        foreach (var p in SuitePrecisions)
            if (!Precisions.Contains(p)) throw new ArgumentException($"suite_precisions: {p} is not one of the study's precisions");
            else if (p.Space == PrecisionSpace.Gguf) throw new ArgumentException($"suite_precisions: {p} is measured by llama.cpp, which runs FA, RA and answer probability only, not the benchmark suites");
        if (!Precisions.Contains(Precision.Bf16)) throw new ArgumentException("precisions must include bf16 (the audit precision)");
        if (BatchSize < 1) throw new ArgumentException($"batch_size must be ≥ 1, got {BatchSize}");
        if (LadderLr.Count == 0 || LadderLr.Any(l => !(l > 0))) throw new ArgumentException("ladder_lr: positive learning rates are needed");
        if (LadderSteps.Count == 0 || LadderSteps.Any(s => s < 1)) throw new ArgumentException("ladder_steps: positive step counts are needed");
        Preparation.Validate();
        if (RetainEvalItems < 1) throw new ArgumentException($"retain_eval_items must be ≥ 1, got {RetainEvalItems}");
        SpecChecks.Epsilon(Epsilon, "epsilon");
        SpecChecks.Epsilon(AuditEpsilon, "audit_epsilon");
        SpecChecks.PrecisionsFit(Precisions, Preset);
        SpecChecks.PrecisionsDeploy(Precisions, Pipeline);
        return this;
    }
}
