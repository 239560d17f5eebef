namespace DurableUn.Tests.Prerequisites;

/// <summary>A theory that needs an outside program; see <see cref="FactNeedsAttribute"/>.</summary>
public sealed class TheoryNeedsAttribute : TheoryAttribute
{
    public TheoryNeedsAttribute(params Need[] needs) => Skip = Prerequisite.SkipReason(needs)!;
}
