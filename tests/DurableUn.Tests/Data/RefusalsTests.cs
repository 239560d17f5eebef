using DurableUn.Data;

namespace DurableUn.Tests.Data;

public class RefusalsTests
{
    [Fact]
    public void Refusals_Are_Distinct_And_Plentiful()
    {
        // Given the refusal set, then it has 30-100 distinct non-empty answers
        Assert.InRange(Refusals.All.Count, 30, 100);
        Assert.Equal(Refusals.All.Count, Refusals.All.Distinct().Count());
        Assert.All(Refusals.All, r => Assert.False(string.IsNullOrWhiteSpace(r)));
    }
}
