using DurableUn.Statistics;

namespace DurableUn.Tests.Statistics;

public class ParetoFrontTests
{
    [Fact]
    public void Front_Should_Keep_Exactly_The_Runs_No_Other_Run_Beats_On_Every_Objective()
    {
        // Given six runs (FA↓, RA↑, Q-INT4↓):
        //
        //   run   FA    RA    Q-INT4
        //   A    0.05  0.60  0.40    lowest FA (tied with B), good RA
        //   B    0.05  0.40  0.40    = A on FA and Q-INT4, worse RA        → dominated by A
        //   C    0.30  0.80  0.50    highest RA; nobody matches it          → survives
        //   D    0.10  0.30  0.05    lowest Q-INT4; nobody matches it       → survives
        //   E    0.35  0.75  0.55    C is better on all three               → dominated by C
        //   A2   0.05  0.60  0.40    identical to A: neither beats the other → both survive
        SweepPoint a = new("A", 0.05, 0.60, 0.40), b = new("B", 0.05, 0.40, 0.40), c = new("C", 0.30, 0.80, 0.50);
        SweepPoint d = new("D", 0.10, 0.30, 0.05), e = new("E", 0.35, 0.75, 0.55), a2 = new("A2", 0.05, 0.60, 0.40);
        // When the front is taken
        var front = ParetoFront.Of([a, b, c, d, e, a2]);
        // Then A, C, D and A2 remain, in input order: the trilemma — no run is best at all three
        Assert.Equal(["A", "C", "D", "A2"], front.Select(p => p.Id));
    }

    [Fact]
    public void A_Point_Should_Not_Dominate_Its_Equal()
    {
        // Given two runs with the same objectives
        SweepPoint p = new("p", 0.1, 0.5, 0.2), q = new("q", 0.1, 0.5, 0.2);
        // Then neither dominates: dominance needs one strictly better objective
        Assert.False(ParetoFront.Dominates(p, q));
        Assert.False(ParetoFront.Dominates(q, p));
    }
}
