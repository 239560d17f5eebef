namespace DurableUn.Reporting;

/// <summary>What one of the paper's claims (docs/design.md#claims-under-test) comes to on the records of a report.</summary>
public enum Verdict
{
    Holds,
    DoesNotHold,
    /// The records cannot decide it (no sweep, no paired test, a target that never learned the facts); the evidence says why.
    Untested,
}

/// <summary>
/// One claim's verdict on this study with the numbers behind it, in one sentence a reader can check against the
/// tables below it. Built by <see cref="ClaimChecks"/> from result records only.
/// </summary>
public sealed record Claim(int Number, string Name, Verdict Verdict, string Evidence)
{
    public string VerdictText => Verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.DoesNotHold => "does not hold",
        Verdict.Untested => "not tested",
        _ => throw new ArgumentOutOfRangeException(nameof(Verdict), Verdict, null),
    };
}
