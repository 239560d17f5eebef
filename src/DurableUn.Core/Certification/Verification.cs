namespace DurableUn.Certification;

/// <summary>
/// The outcome of `certify --verify`: the certificate holds when nothing differs. <paramref name="Measured"/> is false
/// when a hash differed and the measurements were skipped (then <paramref name="Recomputed"/> has no seeds).
/// </summary>
public sealed record Verification(Certificate Certified, Certificate Recomputed, IReadOnlyList<Discrepancy> Discrepancies, bool Measured = true)
{
    public bool Holds => Discrepancies.Count == 0;
}
