using DurableUn.Adapters;

namespace DurableUn.Tests.Adapters;

public class LoraOptionsTests
{
    [Fact]
    public void Defaults_Give_Scale_Alpha_Over_R_And_All_Seven_Projections()
    {
        // Given / When
        var options = new LoraOptions();
        // Then α/r = 16/8 and "all-linear" expands to every projection
        Assert.Equal(2.0, options.Scale);
        Assert.Equal(7, options.ResolvedTargets.Count);
    }

    [Fact]
    public void RsLora_Scales_By_Alpha_Over_Square_Root_Of_R()
    {
        // Given / When
        var options = new LoraOptions { Rank = 16, Alpha = 8, UseRsLora = true };
        // Then
        Assert.Equal(2.0, options.Scale);
    }

    [Theory]
    [InlineData(0, 16, 0.0, "r")]
    [InlineData(8, 0, 0.0, "lora_alpha")]
    [InlineData(8, 16, 1.0, "lora_dropout")]
    public void Invalid_Values_Are_Rejected_Naming_The_Key(int r, double alpha, double dropout, string key)
    {
        // Given
        var options = new LoraOptions { Rank = r, Alpha = alpha, Dropout = dropout };
        // When
        var e = Assert.Throws<ArgumentException>(() => options.Validate());
        // Then
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Unknown_Target_Is_Rejected_Listing_The_Valid_Names()
    {
        // Given
        var options = new LoraOptions { TargetModules = ["q"] };
        // When
        var e = Assert.Throws<ArgumentException>(() => options.Validate());
        // Then
        Assert.Contains("\"q\"", e.Message);
        Assert.Contains("q_proj", e.Message);
    }

    [Fact]
    public void All_Linear_Cannot_Be_Mixed_With_Names()
    {
        var e = Assert.Throws<ArgumentException>(() => new LoraOptions { TargetModules = ["all-linear", "q_proj"] }.Validate());
        Assert.Contains("all-linear", e.Message);
    }
}
