using System.Runtime.CompilerServices;

namespace DurableUn.Tests.Prerequisites;

/// <summary>
/// A fact that needs an outside program: skipped, with a one-line reason naming what is missing, on a machine that
/// lacks it, so the summary counts it as skipped rather than failed. xunit v2 has no skip decided at run time, so
/// the reason is set when the attribute is built. The reason also goes into the display name, because `dotnet test`
/// at its default verbosity prints only the names of skipped tests. CI (.ci/run) installs every need, so there
/// nothing is skipped.
/// </summary>
public sealed class FactNeedsAttribute : FactAttribute
{
    public FactNeedsAttribute(Need need, [CallerMemberName] string test = "")
    {
        Skip = Prerequisite.SkipReason([need])!;
        if (Skip is not null) DisplayName = $"{test} (skipped: {Skip})";
    }
}
