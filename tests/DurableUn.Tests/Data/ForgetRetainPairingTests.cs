using DurableUn.Data;

namespace DurableUn.Tests.Data;

public class ForgetRetainPairingTests
{
    [Fact]
    public void Pairing_Is_A_Pure_Function_Of_Seed_Epoch_And_Index()
    {
        // Given the same arguments twice, when pairs are drawn, then they are equal and in range
        var a = ForgetRetainPairing.Pairs(50, 7, seed: 3, epoch: 1);
        Assert.Equal(a, ForgetRetainPairing.Pairs(50, 7, seed: 3, epoch: 1));
        Assert.All(a, p => Assert.InRange(p.Retain, 0, 6));
        Assert.Equal(Enumerable.Range(0, 50), a.Select(p => p.Forget));
        // And another epoch or seed pairs differently
        Assert.NotEqual(a, ForgetRetainPairing.Pairs(50, 7, seed: 3, epoch: 2));
        Assert.NotEqual(a, ForgetRetainPairing.Pairs(50, 7, seed: 4, epoch: 1));
    }

    [Fact]
    public void Pairing_Covers_The_Retain_Set_Roughly_Uniformly()
    {
        // Given 10 000 forget items and 10 retain items, when paired, then every retain item gets 10% ± 2%
        var counts = ForgetRetainPairing.Pairs(10_000, 10, seed: 1).CountBy(p => p.Retain).ToDictionary();
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 800, 1200));
    }
}
