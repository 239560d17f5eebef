using System.Globalization;
using DurableUn.Data;
using DurableUn.Experiments.Specs;
using DurableUn.Methods;
using DurableUn.Deployment;
using DurableUn.Presets;

namespace DurableUn.Tests.Experiments;

/// Point generation and validation of a sweep spec: pure, no model.
public sealed class SweepPlanTests
{
    private static SweepSpec Spec() => SweepSpec.For(ModelPreset.Smoke, MethodCatalog.NpoGdr, DatasetKind.Tofu);

    [Fact]
    public void Grid_Should_Be_The_Product_Of_Its_Axes_With_The_First_Axis_Slowest()
    {
        // Given lr × steps = 2 × 3
        var spec = Spec() with { Grid = [GridAxis.Parse("lr=1e-4,1e-3"), GridAxis.Parse("steps=5, 10 ,20")] };
        // When the points are planned
        var points = SweepPlan.Points(spec.Validate());
        // Then six points pt0000..pt0005 in row-major order, values as given
        Assert.Equal(["pt0000", "pt0001", "pt0002", "pt0003", "pt0004", "pt0005"], points.Select(p => p.Id));
        Assert.Equal(["lr=1e-4, steps=5", "lr=1e-4, steps=10", "lr=1e-4, steps=20", "lr=1e-3, steps=5", "lr=1e-3, steps=10", "lr=1e-3, steps=20"],
            points.Select(p => p.Describe()));
        // and each run applies the study's batch size, then the fixed settings, then its own values
        Assert.Equal(["batch_size=8", "lr=1e-3", "steps=20"], SweepPlan.Assignments(spec, points[5]));
    }

    [Fact]
    public void Random_Search_Should_Repeat_From_Its_Seed_And_Change_With_It()
    {
        // Given a random search of 8 points over lr (log) and steps (integer)
        var spec = Spec() with { Random = 8, Ranges = [SweepRange.Parse("lr=1e-5:1e-2:log"), SweepRange.Parse("steps=5:40")], Seed = 3 };
        // When it is planned twice with seed 3 and once with seed 4
        var first = SweepPlan.Points(spec.Validate()).Select(p => p.Describe()).ToList();
        var again = SweepPlan.Points(spec).Select(p => p.Describe()).ToList();
        var other = SweepPlan.Points(spec with { Seed = 4 }).Select(p => p.Describe()).ToList();
        // Then the same seed gives the same points, another seed other points
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // and steps are whole numbers in [5, 40], lr in [1e-5, 1e-2] with at most 4 significant digits
        foreach (var p in SweepPlan.Points(spec))
        {
            var steps = int.Parse(p.Parameters["steps"], CultureInfo.InvariantCulture);
            Assert.InRange(steps, 5, 40);
            var lr = double.Parse(p.Parameters["lr"], CultureInfo.InvariantCulture);
            Assert.InRange(lr, 1e-5, 1e-2);
            Assert.Equal(lr.ToString("G4", CultureInfo.InvariantCulture), p.Parameters["lr"]);
        }
    }

    [Fact]
    public void Log_Range_Should_Be_Uniform_In_The_Logarithm()
    {
        // Given lr=1e-5:1e-1:log, four decades; the midpoint u = 0.5 maps to the geometric mean 1e-3
        var range = SweepRange.Parse("lr=1e-5:1e-1:log");
        Assert.Equal(1e-3, range.At(0.5), 12);
        Assert.Equal(0.5, SweepRange.Parse("beta=0:1").At(0.5), 12);
        // When 2000 points are drawn
        var spec = Spec() with { Random = 2000, Ranges = [range] };
        var decades = SweepPlan.Points(spec).Select(p => (int)Math.Floor(Math.Log10(double.Parse(p.Parameters["lr"], CultureInfo.InvariantCulture))))
            .GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        // Then each decade holds about a quarter (500; binomial sd ≈ 19, so 420..580 is beyond 4 sd)
        Assert.Equal([-5, -4, -3, -2], decades.Keys.Order());
        Assert.All(decades.Values, n => Assert.InRange(n, 420, 580));
    }

    [Fact]
    public void Unknown_Key_Should_Fail_Naming_It_And_The_Valid_Keys()
    {
        // Given a typo in a grid key
        var spec = Spec() with { Grid = [GridAxis.Parse("lrr=1e-4,1e-3")] };
        // When the spec is validated
        var e = Assert.Throws<ArgumentException>(() => spec.Validate());
        // Then the error names the key and lists the valid ones
        Assert.Equal("lrr", e.ParamName);
        Assert.Contains("npo-gdr has no option \"lrr\"", e.Message);
        Assert.Contains("retain_weight", e.Message);
    }

    [Theory]
    [InlineData("lr=1e-4,abc", "lr", "pt0001 (lr=abc)", "\"abc\" is not a number")]
    [InlineData("steps=5,2.5", "steps", "pt0001 (steps=2.5)", "is not an integer")]
    [InlineData("beta=0.1,0", "beta", "pt0001 (beta=0)", "beta must be > 0")]
    [InlineData("retain_loss=nll,mse", "retain_loss", "pt0001 (retain_loss=mse)", "one of none, nll, kl")]
    public void Bad_Value_Should_Fail_Naming_The_Point_And_Key_Before_Anything_Trains(string axis, string key, string point, string why)
    {
        // Given a grid whose second value is wrong for its key
        var spec = Spec() with { Grid = [GridAxis.Parse(axis)] };
        // When the spec is validated
        var e = Assert.Throws<ArgumentException>(() => spec.Validate());
        // Then the error names the point, the key and what is wrong
        Assert.Equal(key, e.ParamName);
        Assert.Contains(point, e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Ranges_Should_Refuse_Options_That_Are_Not_Numbers()
    {
        // Given a random search over an enum option
        var spec = Spec() with { Random = 4, Ranges = [new SweepRange("retain_loss", 0, 1, false)] };
        // When validated / Then refused, pointing at --grid
        var e = Assert.Throws<ArgumentException>(() => spec.Validate());
        Assert.Equal("retain_loss", e.ParamName);
        Assert.Contains("use --grid", e.Message);
    }

    [Theory]
    [InlineData("lr=", "is empty")]
    [InlineData("lr", "is not key=v1,v2")]
    [InlineData("lr=1,1", "repeats a value")]
    public void Grid_Axis_Text_Should_Be_Key_Equals_Distinct_Values(string text, string why) =>
        Assert.Contains(why, Assert.Throws<FormatException>(() => GridAxis.Parse(text)).Message);

    [Theory]
    [InlineData("lr=1e-3:1e-5", "lo must be below hi")]
    [InlineData("lr=0:1e-3:log", "a log range needs lo > 0")]
    [InlineData("lr=1e-5:1e-3:ln", "is not key=lo:hi")]
    [InlineData("lr=a:1", "finite numbers")]
    public void Range_Text_Should_Be_Ordered_Finite_And_Positive_When_Log(string text, string why) =>
        Assert.Contains(why, Assert.ThrowsAny<Exception>(() => SweepRange.Parse(text)).Message);

    [Fact]
    public void A_Sweep_Should_Be_Either_A_Grid_Or_A_Random_Search()
    {
        // Given neither, and both
        var neither = Spec();
        var both = Spec() with { Grid = [GridAxis.Parse("lr=1e-4")], Random = 3, Ranges = [SweepRange.Parse("beta=0.05:0.5")] };
        // Then both are refused
        Assert.Contains("either --grid", Assert.Throws<ArgumentException>(() => neither.Validate()).Message);
        Assert.Contains("either --grid", Assert.Throws<ArgumentException>(() => both.Validate()).Message);
    }

    [Fact]
    public void A_Fixed_Setting_Should_Not_Also_Be_Swept()
    {
        // Given --set lr=… and --grid lr=…
        var spec = Spec() with { Grid = [GridAxis.Parse("lr=1e-4,1e-3")], Set = ["lr=1e-5"] };
        // Then the conflict is named
        Assert.Equal("lr", Assert.Throws<ArgumentException>(() => spec.Validate()).ParamName);
    }

    [Fact]
    public void Precisions_Should_Include_Bf16_And_Int4()
    {
        var spec = Spec() with { Grid = [GridAxis.Parse("lr=1e-4")], Precisions = [Precision.Bf16, Precision.Int8] };
        Assert.Contains("int4", Assert.Throws<ArgumentException>(() => spec.Validate()).Message);
    }
}
