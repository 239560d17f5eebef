using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Preparation;

/// <summary>
/// One benchmark of a study or sweep, loaded once per process: its task, the target model as its pipeline loads it
/// (<see cref="PreparedModels"/>: the reference of every unlearning run), the encoder, and the measurement routine every cell uses, so
/// that all cells of a dataset are measured identically.
/// Not: building the artifacts it loads (<see cref="DatasetPreparation"/> does).
/// </summary>
internal sealed class DatasetSession : IDisposable
{
    /// <param name="retainEvalItems">RA is measured on at most this many retain items.</param>
    /// <param name="suitePrecisions">Precisions at which every model also gets its benchmark suite.</param>
    public DatasetSession(PreparedLayout layout, PreparationSpec preparation, DatasetKind kind, AccuracyMetric metric, IReadOnlyList<Precision> precisions,
                          int retainEvalItems, IReadOnlyList<Precision> suitePrecisions)
    {
        Pipeline = preparation.Pipeline;
        Kind = kind;
        Name = DatasetNames.Of(kind);
        Data = DatasetFolder.Load(layout.Data(kind));
        Task = UnlearningTask.From(Data, retainEvalCap: retainEvalItems);
        SuitePrecisions = suitePrecisions;
        _retainFolder = layout.Retain(kind);
        Target = PreparedModels.Load(layout, kind, FinetuneSplit.Full, preparation);
        TargetFolder = PreparedModels.TargetFolder(layout, preparation, kind);
        Encoder = new QaEncoder(Target.Pretrained.Tokenizer, new PromptTemplate.Plain());
        Task.CheckFits(Encoder, layout.Data(kind), Target.Pretrained.Config.Llama.MaxPositionEmbeddings);
        Metric = metric;
        Precisions = precisions;
        BaseSha256 = ContentHash.OfFolder(layout.Model);
        DataSha256 = ContentHash.OfFolder(layout.Data(kind));
        TargetSha256 = ContentHash.OfFolder(TargetFolder);
    }

    /// Hashes of what every run of this dataset starts from, computed once per process.
    public string BaseSha256 { get; }
    public string DataSha256 { get; }
    public string TargetSha256 { get; }

    private readonly string _retainFolder;
    /// <summary>Where the target is loaded from (<see cref="PreparedModels.TargetFolder"/>): what every run records as its target.</summary>
    public string TargetFolder { get; }
    public Dataset Data { get; }
    public IReadOnlyList<Precision> SuitePrecisions { get; }

    public DatasetKind Kind { get; }
    public Pipelines.Pipeline Pipeline { get; }
    public string Name { get; }
    public UnlearningTask Task { get; }
    public AdaptedModel Target { get; }
    public QaEncoder Encoder { get; }
    /// <summary>The tokenizer.json of the base model, which GGUF precisions write into their files.</summary>
    public string TokenizerPath => Target.Pretrained.Folder.TokenizerPath!;
    public AccuracyMetric Metric { get; }
    public IReadOnlyList<Precision> Precisions { get; }

    /// <summary>
    /// Unlearns the target with a method as the pipeline does: the target's adapter trained further (adapter), a fresh
    /// LoRA on the NF4 target trained (fresh-adapter, and adapter when the target is the base: the session's target
    /// already carries it, B = 0), or every weight of the dense target trained (full). The caller disposes the result's model.
    /// </summary>
    public UnlearnResult Unlearn(MethodEntry entry, IMethodOptions options, int seed) => Pipeline == Pipelines.Pipeline.Full
        ? FullUnlearnRun.Execute(TargetFolder, Target.Model, entry, options, Task, Encoder, seed)
        : UnlearnRun.Execute(Target.Model, entry, options, Task, Encoder, seed);

    public IReadOnlyList<PrecisionMeasurement> Measure(QLoraModel model) =>
        PrecisionEvaluation.Measure(model, Precisions, Metric, Encoder, Task.Forget, Task.RetainEval);

    /// <summary>
    /// The practitioner's bf16 audit of a model (the calibration's probe): FA and RA under the headline metric at
    /// bf16 only. Token accuracy, which <see cref="Measure"/> adds beside a generated metric, is left out: the
    /// search reads FA alone, and the chosen run is measured in full when it becomes a cell.
    /// </summary>
    public (double Fa, double Ra) Audit(QLoraModel model)
    {
        using var deployed = Deployer.Deploy(model, Precision.Bf16);
        var measured = QaAccuracy.Measure(deployed.Model, Encoder, [Task.Forget, Task.RetainEval], Metric);
        return (measured[0].Aggregate, measured[1].Aggregate);
    }

    /// <summary>The benchmark suite at each suite precision, by precision name.</summary>
    public IReadOnlyDictionary<string, SuiteResult> Suites(QLoraModel model, bool isRetainModel = false)
    {
        var reference = isRetainModel ? null : SuiteReference.Read(_retainFolder);
        var results = new Dictionary<string, SuiteResult>();
        foreach (var precision in SuitePrecisions)
        {
            using var deployed = Deployer.Deploy(model, precision);
            results[precision.Name] = BenchmarkSuite.Evaluate(Kind, deployed.Model, Encoder, Data, reference);
        }
        return results;
    }

    /// <summary>A result row per precision for a model of this dataset, with its answer probability, ROUGE-L and paired
    /// comparison against bf16, its suite's numbers where measured and, for an unlearned model, its code shifts
    /// against the target (<paramref name="shifts"/>).</summary>
    public IReadOnlyList<CellRecord> Records(MeasuredModel method, CellSetting setting, int seed, IReadOnlyList<PrecisionMeasurement> measured,
                                             IReadOnlyDictionary<string, SuiteResult> suites,
                                             Func<Precision, IReadOnlyList<QuantizationShift>>? shifts = null)
    {
        var bf16 = measured.FirstOrDefault(m => m.Precision == Precision.Bf16);
        return measured.Select(m => new CellRecord
        {
            Dataset = Name, Pipeline = Pipeline, Method = method, Setting = setting, Seed = seed, Precision = m.Precision,
            Metric = Metric.Name(), Fa = m.Forget.Aggregate, Ra = m.Retain.Aggregate,
            FaProb = m.ForgetProbability.Aggregate, RaProb = m.RetainProbability.Aggregate,
            FaRouge = m.ForgetRouge.Aggregate, RaRouge = m.RetainRouge.Aggregate,
            Paired = PairedAgainstBf16.Of(m, bf16, Metric), Gguf = m.Gguf,
            Metrics = Merge(m.Secondary, suites.TryGetValue(m.Precision.Name, out var suite) ? suite.Aggregates() : null),
            Undefined = suite is null ? new Dictionary<string, string>() : Undefined(suite),
            Shifts = shifts?.Invoke(m.Precision) ?? [],
        }).ToList();
    }

    /// Token accuracy's FA/RA (when not the headline metric) and the suite's aggregates, in one map.
    private static IReadOnlyDictionary<string, double> Merge(IReadOnlyDictionary<string, double> secondary, IReadOnlyDictionary<string, double>? suite)
    {
        var all = new Dictionary<string, double>(secondary, StringComparer.Ordinal);
        foreach (var (k, v) in suite ?? new Dictionary<string, double>()) all[k] = v;
        return all;
    }

    /// Metrics the suite could not compute for this model, with the reason; "needs …" absences are not about the
    /// model (TOFU's forget_quality of the retain model itself) and are recorded the same way.
    private static Dictionary<string, string> Undefined(SuiteResult suite) =>
        suite.Absent.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public void Dispose() => Target.Dispose();
}
