namespace DurableUn.Tests.Prerequisites;

/// <summary>
/// A fact that needs an outside program: skipped, with a one-line reason naming what is missing, on a machine that
/// lacks it, so the summary counts it as skipped rather than failed. xunit v2 has no skip decided at run time, so
/// the reason is set when the attribute is built. CI (.ci/run) installs every need, so there nothing is skipped.
/// </summary>
public sealed class FactNeedsAttribute : FactAttribute
{
    public FactNeedsAttribute(params Need[] needs) => Skip = Prerequisite.SkipReason(needs)!;
}
