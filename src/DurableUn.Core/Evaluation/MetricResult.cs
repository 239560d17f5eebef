namespace DurableUn.Evaluation;

/// <summary>
/// What every metric returns: one aggregate and the per-example values it was made from
/// (open-unlearning's <c>agg_value</c> + <c>value_by_index</c>, src/evals/metrics/base.py).
/// <c>PerExample[i]</c> belongs to the i-th example of the metric's input, in input order; mapping
/// positions to dataset ids is the caller's job. Not: serialisation, or a record of how it was computed.
/// </summary>
public sealed record MetricResult(string Name, double Aggregate, IReadOnlyList<double> PerExample);
