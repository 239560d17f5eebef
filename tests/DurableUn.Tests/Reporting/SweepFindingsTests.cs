using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

public sealed class SweepFindingsTests
{
    [Fact]
    public void Findings_Should_Count_Certified_Runs_List_The_Front_And_Give_The_Verdict()
    {
        // Given the fixture sweep: r4..r6 certified. r3 (0.06, 0.82, 0.35) beats r1 (0.10, 0.80, 0.50) and
        //   r2 (0.08, 0.78, 0.40) on all three; r4, r5, r6 trade FA and Q-INT4 (r6 best) against RA (r4 best)
        var sweep = Sweep();
        // When the findings are written
        var findings = SweepFindings.Of(sweep);
        // Then: counts with ε, the four front runs with their settings (keys sorted), the best run per objective, and the sweep's own verdict
        Assert.Equal("6 runs; 3 certified at ε = 0.047 (max over precisions of FA ≤ ε).", findings[0]);
        Assert.Equal("Pareto front over (FA↓, RA↑, Q-INT4↓): 4 of 6 runs — " +
                     "r3 (beta=0.1, lr=3E-05): FA 0.060, RA 0.820, Q-INT4 0.350; " +
                     "r4 (beta=0.1, lr=5E-05): FA 0.040, RA 0.220, Q-INT4 0.050, certified; " +
                     "r5 (beta=0.1, lr=8E-05): FA 0.030, RA 0.200, Q-INT4 0.040, certified; " +
                     "r6 (beta=0.1, lr=0.0001): FA 0.020, RA 0.180, Q-INT4 0.030, certified.", findings[1]);
        Assert.Equal("Trilemma (claim 3): lowest FA 0.020 (r6), highest RA 0.820 (r3), lowest Q-INT4 0.030 (r6); no run reaches all three at once.", findings[2]);
        Assert.Equal($"Phase transition (claim 4, RA against Q-INT4): {sweep.PhaseTransitionNote}", findings[3]);
    }

    [Fact]
    public void Six_Runs_Should_Be_Too_Few_For_A_Perfect_Step_To_Be_Significant()
    {
        // Given the fixture's perfect 3 | 3 step: a permutation puts the three high RAs on one side with
        //   probability 2 / C(6,3) = 0.1, so p ≈ 0.1 however clean the step is
        var note = Sweep().PhaseTransitionNote!;
        // Then the verdict says no significant step rather than claiming the transition
        Assert.StartsWith("No significant step", note);
    }
}
