using DurableUn.Data;
using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// Every suite end to end on its synthetic smoke dataset and an untrained tiny model: every metric name, and every
/// value against a reference computed here from the suite's own per-example values by the published definitions
/// (an answer probability and a ROUGE-L score average their items; model utility is the harmonic mean of the
/// retain-side scores; forget quality of a model against itself is scipy's ks_2samp(x, x).pvalue = 1; scores and
/// AUCs lie in [0, 1]), not merely that they are finite.
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
        // Then every TOFU name is reported, forget quality absent only without the ratios
        Assert.Equal(TofuSuite.MetricNames.Order(), alone.Names.Order());
        Assert.Equal(["forget_quality"], alone.Absent.Keys);
        Assert.Equal(TofuSuite.MetricNames.Order(), withRetain.Metrics.Select(m => m.Name).Order());
        // and the values match their definitions: a model is its own retain model, so its truth ratios are the
        // retain model's and the KS test cannot tell them apart (scipy: ks_2samp(x, x).pvalue == 1.0)
        Assert.Equal(1.0, withRetain["forget_quality"].Aggregate, 12);
        string[] splits = ["forget", "retain", "real_authors", "world_facts"];
        AssertMeans(withRetain, ["forget_prob", "retain_prob", .. splits.Select(s => $"{s}_rouge")]);
        AssertUtility(withRetain, ["retain", "real_authors", "world_facts"], ["prob", "rouge", "truth_ratio"]);
        AssertInUnitInterval(withRetain, [.. splits.SelectMany(s => new[] { $"{s}_prob", $"{s}_rouge" }), "model_utility"]);
        Assert.InRange(withRetain["forget_quality"].Aggregate, 0.0, 1.0);
        AssertAucs(withRetain);
        Assert.Equal(alone["forget_prob"].PerExample, withRetain["forget_prob"].PerExample); // deterministic
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
        Assert.Equal((auc - 0.4772) / 0.4772 * 100, published["privleak"].Aggregate, 12);
        AssertMeans(published, ["verbmem_f", "knowmem_f", "knowmem_r"]);
        AssertInUnitInterval(published, ["verbmem_f", "knowmem_f", "knowmem_r"]);
        AssertAucs(published);
        // and a context too short for whole prompts and texts cuts them instead of failing
        var cut = MuseSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new MuseOptions { VerbMemTokens = 16, KnowMemTokens = 8, MaxLength = 24 });
        AssertMeans(cut, ["verbmem_f", "knowmem_f", "knowmem_r"]);
        AssertInUnitInterval(cut, ["verbmem_f", "knowmem_f", "knowmem_r"]);
        AssertAucs(cut);
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
        AssertAucs(result);
    }

    [Fact]
    public void Wpu_Suite_Should_Report_Every_Metric_On_The_Smoke_Dataset()
    {
        using var setup = new SmokeSetup(DatasetKind.Wpu);
        var result = WpuSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new WpuOptions());
        Assert.Equal(WpuSuite.MetricNames.Order(), result.Metrics.Select(m => m.Name).Order());
        var probsAndRouges = WpuSuite.MetricNames.Where(n => n.EndsWith("_prob", StringComparison.Ordinal) || n.EndsWith("_rouge", StringComparison.Ordinal)).ToList();
        AssertMeans(result, probsAndRouges);
        AssertUtility(result, ["hard_retain", "general_retain"], ["prob", "rouge"]);
        AssertInUnitInterval(result, [.. probsAndRouges, "model_utility"]);
        AssertAucs(result);
    }

    /// Each metric's aggregate is the mean of its per-example values, every one in [0, 1].
    private static void AssertMeans(SuiteResult result, IEnumerable<string> names) =>
        Assert.All(names, name =>
        {
            var m = result[name];
            Assert.NotEmpty(m.PerExample);
            Assert.Equal(m.PerExample.Sum() / m.PerExample.Count, m.Aggregate, 12);
        });

    /// model_utility = n / Σ 1/xᵢ over the <paramref name="kinds"/> of every <paramref name="splits"/> (0 if any is 0).
    private static void AssertUtility(SuiteResult result, string[] splits, string[] kinds)
    {
        var parts = splits.SelectMany(s => kinds.Select(k => result[$"{s}_{k}"].Aggregate)).ToList();
        var expected = parts.Contains(0.0) ? 0.0 : parts.Count / parts.Sum(x => 1 / x);
        Assert.Equal(expected, result["model_utility"].Aggregate, 12);
    }

    private static void AssertInUnitInterval(SuiteResult result, IEnumerable<string> names) =>
        Assert.All(names, name =>
        {
            var m = result[name];
            Assert.InRange(m.Aggregate, 0.0, 1.0);
            Assert.All(m.PerExample, v => Assert.InRange(v, 0.0, 1.0));
        });

    /// Every AUC the suite reports is a probability: in [0, 1].
    private static void AssertAucs(SuiteResult result) =>
        Assert.All(result.Metrics.Where(m => m.Name.EndsWith("_auc", StringComparison.Ordinal)), m => Assert.InRange(m.Aggregate, 0.0, 1.0));
}
