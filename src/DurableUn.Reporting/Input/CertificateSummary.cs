using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>
/// An (ε, P)-durability certificate over seeds (docs/design.md#durability-certificate): a seed passes when max over p
/// in P of FA_p ≤ ε. Cert rate and "stable" are derived here from the two counts rather than passed in, so they cannot
/// disagree. Not: the certificate artifact itself (hashes, per-seed numbers); that JSON lives with the run.
/// </summary>
public sealed record CertificateSummary
{
    public required string Dataset { get; init; }
    public required MeasuredModel Method { get; init; }
    public CellSetting Setting { get; init; } = CellSetting.Calibrated;
    /// The pipeline whose runs were certified (adapter for studies written before pipelines existed).
    public Pipelines.Pipeline Pipeline { get; init; } = Pipelines.Pipeline.Adapter;
    /// The metric FA was measured with; a certificate only matches table rows of the same metric.
    public required string Metric { get; init; }
    public required double Epsilon { get; init; }
    public required IReadOnlyList<Precision> Precisions { get; init; }
    public required int PassingSeeds { get; init; }
    public required int Seeds { get; init; }

    public double CertRate => Seeds == 0 ? double.NaN : (double)PassingSeeds / Seeds;
    /// Every seed passes: the paper's "stable" certificate (SAF 3/3).
    public bool Stable => Seeds > 0 && PassingSeeds == Seeds;
}
