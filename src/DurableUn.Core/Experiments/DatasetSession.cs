using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;

namespace DurableUn.Experiments;

/// <summary>
/// One benchmark of a study, loaded once per process: its task, the target model (NF4 base + target adapter, the
/// reference of every unlearning run), the encoder, and the measurement routine every cell uses, so that all
/// cells of a dataset are measured identically.
/// </summary>
internal sealed class DatasetSession : IDisposable
{
    public DatasetSession(StudySpec spec, StudyLayout layout, DatasetKind kind)
    {
        Kind = kind;
        Name = StudySpec.DatasetName(kind);
        Task = UnlearningTask.From(DatasetFolder.Load(layout.Data(kind)), retainEvalCap: spec.RetainEvalItems);
        Target = AdaptedModel.Load(layout.Model, layout.Target(kind));
        Encoder = new QaEncoder(Target.Pretrained.Tokenizer, new PromptTemplate.Plain());
        Metric = AccuracyMetrics.Parse(spec.Metric);
        Precisions = spec.Precisions.Select(Precision.Parse).ToList();
        BaseSha256 = Certification.ContentHash.OfFolder(layout.Model);
        DataSha256 = Certification.ContentHash.OfFolder(layout.Data(kind));
        TargetSha256 = Certification.ContentHash.OfFolder(layout.Target(kind));
    }

    /// Hashes of what every run of this dataset starts from, computed once per process.
    public string BaseSha256 { get; }
    public string DataSha256 { get; }
    public string TargetSha256 { get; }

    public DatasetKind Kind { get; }
    public string Name { get; }
    public UnlearningTask Task { get; }
    public AdaptedModel Target { get; }
    public QaEncoder Encoder { get; }
    public AccuracyMetric Metric { get; }
    public IReadOnlyList<Precision> Precisions { get; }

    public IReadOnlyList<PrecisionMeasurement> Measure(QLoraModel model, IReadOnlyList<Precision>? precisions = null) =>
        PrecisionEvaluation.Measure(model, precisions ?? Precisions, Metric, Encoder, Task.Forget, Task.RetainEval);

    /// <summary>A result row per precision for a model of this dataset.</summary>
    public IReadOnlyList<CellRecord> Records(string method, string setting, int seed, IReadOnlyList<PrecisionMeasurement> measured) =>
        measured.Select(m => new CellRecord
        {
            Dataset = Name, Method = method, Setting = setting, Seed = seed, Precision = m.Precision.Name,
            Metric = Metric.Name(), Fa = m.Forget.Aggregate, Ra = m.Retain.Aggregate,
        }).ToList();

    public void Dispose() => Target.Dispose();
}
