namespace DurableUn.Certification;

/// <summary>The outcome of `certify --verify`: the certificate holds when nothing differs.</summary>
public sealed record Verification(Certificate Certified, Certificate Recomputed, IReadOnlyList<Discrepancy> Discrepancies)
{
    public bool Holds => Discrepancies.Count == 0;
}
