using DurableUn.Cli;

namespace DurableUn.Tests.Cli;

public class StudyProgressTests
{
    [Theory]
    [InlineData(75, "01:15")]
    [InlineData(3672, "61:12")]          // a wide base pretrains for over an hour: the minutes do not wrap
    public void The_Clock_Shows_Minutes_And_Seconds_Without_Wrapping_At_An_Hour(int seconds, string shown) =>
        Assert.Equal(shown, StudyProgress.Clock(TimeSpan.FromSeconds(seconds)));
}
