namespace DurableUn.Certification;

/// <summary>
/// One way a certificate no longer matches what it vouches for: where (a seed, or the certificate), which field
/// (a hash, FA or RA at a precision, a verdict), what the certificate says and what was found now.
/// </summary>
public sealed record Discrepancy(string Where, string Field, string Certified, string Found)
{
    public override string ToString() => $"{Where}: {Field} was {Certified}, now {Found}";
}
