using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Runs;

namespace DurableUn.Certification;

/// <summary>
/// What a certificate is measured against (docs/design.md#durability-certificate): ε, the precisions P, the FA/RA
/// metric, and how many retain items RA uses. `certify --verify` takes them from the certificate itself, so the
/// re-measurement is the same one.
/// </summary>
public sealed record CertifyOptions
{
    /// A seed passes when max over P of FA_p ≤ ε.
    public required double Epsilon { get; init; }
    /// The paper's P: the audit precision and the two deployments it compares.
    public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Bf16, Precision.Int8, Precision.Int4];
    /// The headline metric, key-fact recall: its floor is near 0, so ε can mean "forgotten"
    /// (docs/design.md#forget-and-retain-accuracy).
    public AccuracyMetric Metric { get; init; } = AccuracyMetric.KeyFact;
    /// The same cap `unlearn` and the study's defaults use, so RA matches theirs.
    public int RetainEvalItems { get; init; } = UnlearningTask.DefaultRetainEvalCap;

    public static CertifyOptions Of(Certificate certificate) => new()
    {
        Epsilon = certificate.Epsilon,
        Precisions = certificate.Precisions,
        Metric = AccuracyMetrics.Parse(certificate.Metric),
        RetainEvalItems = certificate.RetainEvalItems,
    };

    public CertifyOptions Validate()
    {
        if (!double.IsFinite(Epsilon)) throw new ArgumentException($"epsilon must be a finite number, got {Epsilon}");
        if (Precisions.Count == 0) throw new ArgumentException("precisions: at least one is needed");
        if (Precisions.Distinct().Count() != Precisions.Count) throw new ArgumentException($"precisions: {string.Join(",", Precisions)} names one twice");
        if (RetainEvalItems < 1) throw new ArgumentException($"retain_eval_items must be ≥ 1, got {RetainEvalItems}");
        return this;
    }
}
