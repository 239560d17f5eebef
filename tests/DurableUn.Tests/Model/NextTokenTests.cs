using DurableUn.Model;

namespace DurableUn.Tests.Model;

public class NextTokenTests
{
    [Fact]
    public void Top_K_Is_Most_Likely_First_With_Ties_To_The_Lower_Id()
    {
        // Given log-probabilities where ids 1 and 3 tie for first
        double[] logProbs = [Math.Log(0.1), Math.Log(0.3), Math.Log(0.2), Math.Log(0.3), Math.Log(0.1)];
        // When
        var top = NextToken.TopK(logProbs, 3);
        // Then 1, 3 (tie: lower id first), then 2
        Assert.Equal(new[] { 1, 3, 2 }, top.Select(t => t.Id));
        Assert.Equal(Math.Log(0.3), top[0].LogProb);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Top_K_Outside_The_Vocabulary_Is_Refused(int k)
    {
        // Given a vocabulary of five, when / then
        Assert.Throws<ArgumentOutOfRangeException>(() => NextToken.TopK([0, 0, 0, 0, 0], k));
    }
}
