using System.Runtime.CompilerServices;

namespace DurableUn.Tests.Prerequisites;

/// <summary>A theory that needs an outside program; see <see cref="FactNeedsAttribute"/>.</summary>
public sealed class TheoryNeedsAttribute : TheoryAttribute
{
    public TheoryNeedsAttribute(Need need, [CallerMemberName] string test = "")
    {
        Skip = Prerequisite.SkipReason([need])!;
        if (Skip is not null) DisplayName = $"{test} (skipped: {Skip})";
    }
}
