using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;

namespace DurableUn.Experiments;

/// <summary>
/// One benchmark of a study or sweep, loaded once per process: its task, the target model (NF4 base + target
/// adapter, the reference of every unlearning run), the encoder, and the measurement routine every cell uses, so
/// that all cells of a dataset are measured identically.
/// Not: building the artifacts it loads (<see cref="DatasetPreparation"/> does).
/// </summary>
internal sealed class DatasetSession : IDisposable
{
    /// <param name="retainEvalItems">RA is measured on at most this many retain items.</param>
    public DatasetSession(PreparedLayout layout, DatasetKind kind, string metric, IReadOnlyList<string> precisions, int retainEvalItems)
    {
        Kind = kind;
        Name = StudySpec.DatasetName(kind);
        Task = UnlearningTask.From(DatasetFolder.Load(layout.Data(kind)), retainEvalCap: retainEvalItems);
        Target = AdaptedModel.Load(layout.Model, layout.Target(kind));
        Encoder = new QaEncoder(Target.Pretrained.Tokenizer, new PromptTemplate.Plain());
        Metric = AccuracyMetrics.Parse(metric);
        Precisions = precisions.Select(Precision.Parse).ToList();
    }

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
