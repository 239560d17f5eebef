using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// The arithmetic the suites are assembled from, on numbers worked out by hand.
public class SuiteArithmeticTests
{
    [Fact]
    public void Probability_Should_Be_The_Mean_Of_Exp_Minus_Mean_Nll()
    {
        // Given mean NLLs ln 2 (P̄ = 1/2) and 0 (P̄ = 1)
        // When aggregated as TOFU's forget/retain probability
        var prob = AnswerProbability.Mean("forget_prob", [Math.Log(2), 0.0]);
        // Then the per-item values are 1/2 and 1, their mean 3/4
        Assert.Equal([0.5, 1.0], prob.PerExample);
        Assert.Equal(0.75, prob.Aggregate, 1e-15);
    }

    [Fact]
    public void Probability_Against_Options_Should_Divide_By_The_Total_Of_True_And_Wrong_Answers()
    {
        // Given item 1: P̄(a) = 1/2 against two wrong answers of P̄ 1/4 each → ½ / (½ + ¼ + ¼) = 1/2
        //       item 2: P̄(a) = 1/2 against one wrong answer of P̄ 1/8      → ½ / (½ + ⅛)     = 4/5
        var prob = AnswerProbability.AgainstOptions("real_authors_prob",
            [Math.Log(2), Math.Log(2)], [[Math.Log(4), Math.Log(4)], [Math.Log(8)]]);
        // Then the aggregate is their mean, 0.65
        Assert.Equal(0.5, prob.PerExample[0], 1e-15);
        Assert.Equal(0.8, prob.PerExample[1], 1e-15);
        Assert.Equal(0.65, prob.Aggregate, 1e-15);
    }

    [Fact]
    public void Mia_Auc_Should_Be_One_When_Every_Member_Looks_More_Familiar()
    {
        // Given member scores (higher = less member) 1 and 2, non-members 3 and 2
        // When compared pairwise as −score: 1<3 win, 1<2 win, 2<3 win, 2=2 half
        // Then AUC = 3.5/4, and swapping the roles gives the complement
        Assert.Equal(0.875, MembershipAttacks.MemberAuc([1, 2], [3, 2]));
        Assert.Equal(0.125, MembershipAttacks.MemberAuc([3, 2], [1, 2]));
    }

    [Fact]
    public void Min_K_Attacks_Should_Drop_The_Eos_Position_And_Loss_Should_Keep_It()
    {
        // Given a member whose answer tokens are sure (−0.1, −0.1) but whose EOS is unlikely (−5),
        // and a non-member with unsure answer tokens (−1, −1) and a sure EOS (−0.1)
        var member = new MembershipAttacks.Example(new TokenScores([-0.1, -0.1, -5], [true, true, false], [1, 1, -3]), "a b");
        var nonMember = new MembershipAttacks.Example(new TokenScores([-1, -1, -0.1], [false, false, true], [-1, -1, 1]), "c d");
        // When attacked with k = 0.4, EOS last
        var auc = MembershipAttacks.Evaluate([member], [nonMember], lastIsEos: true, k: 0.4).ToDictionary(m => m.Name);
        // Then Min-K sees 2 tokens, max(1, ⌊0.8⌋) = 1 lowest: member 0.1 < non-member 1 → the member is found, AUC 1
        Assert.Equal([0.1, 1.0], auc["mia_min_k_auc"].PerExample);
        Assert.Equal(1.0, auc["mia_min_k_auc"].Aggregate);
        // and Min-K++ on the z-scores likewise: −1 vs 1 → AUC 1
        Assert.Equal(1.0, auc["mia_min_k_plus_plus_auc"].Aggregate);
        // while LOSS keeps EOS: member 5.2/3 ≈ 1.73 > non-member 2.1/3 = 0.7 → AUC 0
        Assert.Equal(5.2 / 3, auc["mia_loss_auc"].PerExample[0], 1e-12);
        Assert.Equal(0.0, auc["mia_loss_auc"].Aggregate);
    }

    [Fact]
    public void Suite_Result_Should_Flatten_Present_Metrics_And_Explain_Absent_Ones()
    {
        // Given one present and one absent metric
        var result = new SuiteResult([new MetricResult("forget_prob", 0.5, [0.5])],
            new Dictionary<string, string> { ["forget_quality"] = "no retain ratios" }, new Dictionary<string, string>());
        // Then results.json gets only the present one, and asking for the absent one says why
        Assert.Equal(new Dictionary<string, double> { ["forget_prob"] = 0.5 }, result.Aggregates());
        Assert.Equal(["forget_prob", "forget_quality"], result.Names);
        Assert.Contains("no retain ratios", Assert.Throws<KeyNotFoundException>(() => result["forget_quality"]).Message);
    }

    [Fact]
    public void Suite_Result_Should_Reject_A_Name_Twice()
    {
        var twice = new[] { new MetricResult("privleak", 1, [1.0]), new MetricResult("privleak", 2, [2.0]) };
        Assert.Throws<ArgumentException>(() => new SuiteResult(twice, new Dictionary<string, string>(), new Dictionary<string, string>()));
    }
}
