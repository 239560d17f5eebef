using DurableUn.Data;
using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// TOFU's suite on a model that memorised four QA pairs (forget) and never saw two (holdout, and the utility splits).
public class SuitesOnMemorizedModelTests(MemorizedModelFixture f) : IClassFixture<MemorizedModelFixture>
{
    // Paraphrase = the answer itself; wrong options = the answers to the other questions of the same set.
    private static PerturbedQaItem[] Perturbed(IReadOnlyList<QaItem> items) =>
        [.. items.Select(i => new PerturbedQaItem(i.Question, i.Answer, i.Answer, items.Where(o => o != i).Select(o => o.Answer).ToList()))];

    private TofuSplits Splits => new(Perturbed(f.Seen), Perturbed(f.Unseen), Perturbed(f.Unseen), Perturbed(f.Unseen), f.Unseen);

    [Fact]
    public void A_Memorising_Model_Should_Be_Likely_Exact_And_Identifiable_On_Its_Seen_Items()
    {
        // When the memorising model is evaluated with its seen items as the forget set
        var result = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions());
        // Then it reproduces them: high probability, perfect ROUGE recall, every answer token right
        Assert.True(result["forget_prob"].Aggregate > 0.8, $"forget_prob {result["forget_prob"].Aggregate}");
        Assert.True(result["forget_prob"].Aggregate > result["retain_prob"].Aggregate);
        Assert.Equal(1.0, result["forget_rouge"].Aggregate, 6);
        Assert.Equal(1.0, result["exact_memorization"].Aggregate, 6);
        Assert.Equal(4, result["forget_rouge"].PerExample.Count);
        // and its true answers beat the wrong ones by far: R ≪ 1, so closer_to_1 is near 0
        Assert.All(result["forget_truth_ratio"].PerExample, r => Assert.True(r < 0.5, $"R = {r}"));
        // and a membership attack tells seen from unseen answers
        Assert.True(result["mia_loss_auc"].Aggregate > 0.5, $"LOSS AUC {result["mia_loss_auc"].Aggregate}");
        Assert.Equal(6, result["mia_loss_auc"].PerExample.Count);           // 4 members then 2 non-members
        // and without the retain model's ratios forget quality is absent, not made up
        Assert.False(result.Has("forget_quality"));
        Assert.Contains("forget_quality", result.Absent.Keys);
    }

    [Fact]
    public void Forget_Quality_Should_Be_One_Against_The_Same_Ratios_And_Small_Against_Disjoint_Ones()
    {
        // Given the model's own forget truth ratios as the "retain model's"
        var own = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions())["forget_truth_ratio"].PerExample;
        // When evaluated against them, and against 4 ratios all above every one of its own
        var same = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions(), own);
        var apart = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions(), [10.0, 11.0, 12.0, 13.0]);
        // Then identical samples give p = 1, and fully separated 4-vs-4 samples p = 2/C(8,4) = 1/35
        Assert.Equal(1.0, same["forget_quality"].Aggregate, 12);
        Assert.Equal(1.0 / 35, apart["forget_quality"].Aggregate, 12);
    }
}
