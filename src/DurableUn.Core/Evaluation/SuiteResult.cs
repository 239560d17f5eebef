namespace DurableUn.Evaluation;

/// <summary>
/// What a benchmark suite (TOFU, MUSE, WPU) returns for one model at one precision: its metrics by snake_case
/// name, the metrics it could not compute with the reason (e.g. <c>forget_quality</c> without the retain model's
/// truth ratios: absent, never faked), and notes on how a value was obtained (e.g. which AUC_retrain PrivLeak used).
/// <see cref="Aggregates"/> is the name → aggregate map that results.json stores (CellRecord.Metrics); the
/// per-example values stay on each <see cref="MetricResult"/>.
/// Scale convention for the whole product: every score is in [0, 1] (ROUGE, probabilities, truth ratios, AUCs,
/// EM/ES); MUSE's "× 100" is not applied. The one exception is <c>privleak</c>, a relative difference in percent
/// by its definition (muse_bench eval.py).
/// Not: serialisation, or the per-example ids of the dataset (the order of each metric's input is the index).
/// </summary>
public sealed class SuiteResult
{
    private readonly Dictionary<string, MetricResult> _byName;

    public SuiteResult(IReadOnlyList<MetricResult> metrics, IReadOnlyDictionary<string, string> absent,
                       IReadOnlyDictionary<string, string> notes)
    {
        _byName = new Dictionary<string, MetricResult>(StringComparer.Ordinal);
        foreach (var m in metrics)
            if (!_byName.TryAdd(m.Name, m)) throw new ArgumentException($"metric '{m.Name}' appears twice");
        if (absent.Keys.FirstOrDefault(_byName.ContainsKey) is { } both)
            throw new ArgumentException($"metric '{both}' is both present and absent");
        Metrics = metrics;
        Absent = absent;
        Notes = notes;
    }

    /// The metrics computed, in the suite's order.
    public IReadOnlyList<MetricResult> Metrics { get; }
    /// Metrics the suite defines but could not compute here → why.
    public IReadOnlyDictionary<string, string> Absent { get; }
    /// How particular values were obtained (reference constants, fallback splits), for reports.
    public IReadOnlyDictionary<string, string> Notes { get; }

    /// Every metric name the suite reports on, present or absent.
    public IEnumerable<string> Names => Metrics.Select(m => m.Name).Concat(Absent.Keys);

    public MetricResult this[string name] => _byName.TryGetValue(name, out var m)
        ? m
        : throw new KeyNotFoundException(Absent.TryGetValue(name, out var why)
            ? $"metric '{name}' is absent: {why}"
            : $"no metric '{name}'; present: {string.Join(", ", _byName.Keys)}");

    public bool Has(string name) => _byName.ContainsKey(name);

    /// name → aggregate of every present metric, for results.json.
    public IReadOnlyDictionary<string, double> Aggregates() =>
        Metrics.ToDictionary(m => m.Name, m => m.Aggregate, StringComparer.Ordinal);
}
