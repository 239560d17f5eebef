using DurableUn.Reporting;

namespace DurableUn.Tests.Reporting;

public class SeedSummaryTests
{
    [Fact]
    public void Two_Seeds_Should_Print_Mean_And_Sample_Std()
    {
        // Given FA 0.10 and 0.20: mean 0.15, sample variance ((−0.05)² + 0.05²) / (2 − 1) = 0.005, std = 0.0707
        var summary = SeedSummary.Of([0.10, 0.20]);
        // Then it prints three decimals, std with n − 1 (not n, which would give 0.050)
        Assert.Equal("0.150 ± 0.071", summary!.Value.Format());
    }

    [Fact]
    public void One_Seed_Should_Print_Just_The_Value()
    {
        // Given a single seed, whose spread is unknown rather than zero
        var summary = SeedSummary.Of([0.25]);
        // Then no "± 0.000" appears
        Assert.Equal("0.250", summary!.Value.Format());
    }

    [Fact]
    public void No_Seed_Should_Print_A_Dash()
    {
        // Given a cell not measured yet
        var summary = SeedSummary.Of([]);
        // Then it is null and prints as the missing mark
        Assert.Null(summary);
        Assert.Equal("—", SeedSummary.Format(summary));
    }
}
