using DurableUn.Data;
using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// Every suite end to end on its synthetic smoke dataset and an untrained tiny model: no error, every metric name.
public class SuiteSmokeTests
{
    [Fact]
    public void Tofu_Suite_Should_Report_Every_Metric_On_The_Smoke_Dataset()
    {
        // Given the synthetic TOFU smoke folder and a random model
        using var setup = new SmokeSetup(DatasetKind.Tofu);
        // When evaluated without, then with, retain-model truth ratios
        var alone = TofuSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new TofuOptions());
        var withRetain = TofuSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new TofuOptions(),
            alone["forget_truth_ratio"].PerExample);
        // Then every TOFU name is reported, forget quality absent only without the ratios, values finite
        Assert.Equal(TofuSuite.MetricNames.Order(), alone.Names.Order());
        Assert.Equal(["forget_quality"], alone.Absent.Keys);
        Assert.Equal(TofuSuite.MetricNames.Order(), withRetain.Metrics.Select(m => m.Name).Order());
        AssertFinite(withRetain);
    }

    [Fact]
    public void Muse_Suite_Should_Report_Every_Metric_And_Which_Auc_Retrain_It_Used()
    {
        using var setup = new SmokeSetup(DatasetKind.Muse);
        var published = MuseSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new MuseOptions());
        var retained = MuseSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new MuseOptions(), retainModelAuc: 0.5);
        Assert.Equal(MuseSuite.MetricNames.Order(), published.Metrics.Select(m => m.Name).Order());
        Assert.Contains("0.4772", published.Notes["privleak_auc_retrain"]);
        Assert.Contains("retain model", retained.Notes["privleak_auc_retrain"]);
        // PrivLeak = (AUC − AUC_retrain)/AUC_retrain × 100 with this model's own AUC
        var auc = retained["privleak_auc"].Aggregate;
        Assert.Equal((auc - 0.5) / 0.5 * 100, retained["privleak"].Aggregate, 12);
        AssertFinite(published);
        // and a context too short for whole prompts and texts cuts them instead of failing
        var cut = MuseSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new MuseOptions { VerbMemTokens = 16, KnowMemTokens = 8, MaxLength = 24 });
        AssertFinite(cut);
    }

    [Fact]
    public void Muse_Privleak_Is_Undefined_With_Its_Reason_When_The_Retain_Model_Auc_Is_Zero()
    {
        // Given a retain model that ranked every forget text as more familiar than every holdout text (AUC 0)
        using var setup = new SmokeSetup(DatasetKind.Muse);
        // When this model is scored against it
        var result = MuseSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new MuseOptions(), retainModelAuc: 0);
        // Then privleak is absent with the reason, and every other metric is still there
        Assert.False(result.Has("privleak"));
        Assert.Contains("privleak_auc is 0", result.Absent["privleak"]);
        Assert.Equal(MuseSuite.MetricNames.Where(n => n != "privleak").Order(), result.Metrics.Select(m => m.Name).Order());
        AssertFinite(result);
    }

    [Fact]
    public void Wpu_Suite_Should_Report_Every_Metric_On_The_Smoke_Dataset()
    {
        using var setup = new SmokeSetup(DatasetKind.Wpu);
        var result = WpuSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new WpuOptions());
        Assert.Equal(WpuSuite.MetricNames.Order(), result.Metrics.Select(m => m.Name).Order());
        AssertFinite(result);
    }

    private static void AssertFinite(SuiteResult result) =>
        Assert.All(result.Metrics, m =>
        {
            Assert.True(double.IsFinite(m.Aggregate), $"{m.Name} = {m.Aggregate}");
            Assert.NotEmpty(m.PerExample);
            Assert.All(m.PerExample, v => Assert.True(double.IsFinite(v), $"{m.Name} has {v}"));
        });
}
