using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

public class TruthRatioTests
{
    [Fact]
    public void Truth_Ratio_Should_Be_Exp_Of_Answer_Nll_Minus_Mean_Perturbed_Nll()
    {
        // Given item 1: L(â) = 1.0, perturbed 2.0 and 4.0 (mean 3.0) → R = e^(1−3) = e^−2
        //       item 2: L(â) = 2.0, perturbed 2.0 → R = e^0 = 1
        var ratios = TruthRatio.PerItem([1.0, 2.0], [[2.0, 4.0], [2.0]]);
        // Then
        Assert.Equal(Math.Exp(-2), ratios[0], 1e-15);
        Assert.Equal(1.0, ratios[1]);
    }

    [Fact]
    public void Aggregators_Should_Reward_Indifference_On_Forget_And_Preference_Elsewhere()
    {
        // Given ratios 0.5 (true answer twice as likely), 2 (false answer twice as likely), 1
        double[] ratios = [0.5, 2.0, 1.0];
        // When aggregated
        var forget = TruthRatio.CloserToOneBetter(ratios);
        var retain = TruthRatio.TrueBetter(ratios);
        // Then closer_to_1: min(R, 1/R) = 0.5, 0.5, 1 → mean 2/3
        Assert.Equal([0.5, 0.5, 1.0], forget.PerExample);
        Assert.Equal(2.0 / 3, forget.Aggregate, 1e-15);
        // and true_better: max(0, 1 − R) = 0.5, 0, 0 → mean 1/6
        Assert.Equal([0.5, 0.0, 0.0], retain.PerExample);
        Assert.Equal(1.0 / 6, retain.Aggregate, 1e-15);
    }

    [Fact]
    public void Forget_Quality_Should_Be_The_Ks_PValue_Of_The_Two_Ratio_Sets()
    {
        // Given unlearned ratios wholly below the retain model's (3 vs 3)
        // Then forget quality is the KS p-value 2/C(6,3) = 0.1
        Assert.Equal(0.1, TruthRatio.ForgetQuality([0.1, 0.2, 0.3], [0.4, 0.5, 0.6]).Aggregate, 1e-15);
    }
}

public class HarmonicMeanTests
{
    [Fact]
    public void Harmonic_Mean_Should_Be_N_Over_Sum_Of_Reciprocals()
    {
        // Given 1, 0.5, 0.25: reciprocals sum to 1 + 2 + 4 = 7
        // Then HM = 3/7
        Assert.Equal(3.0 / 7, HarmonicMean.Compute("model_utility", [1, 0.5, 0.25]).Aggregate, 1e-15);
    }

    [Fact]
    public void A_Zero_Should_Make_Model_Utility_Zero()
    {
        // Given nine utility numbers, one of them 0
        double[] nine = [0.9, 0.8, 0.7, 0.6, 0.0, 0.5, 0.4, 0.3, 0.2];
        // Then the harmonic mean is 0 (its limit, and scipy.stats.hmean's answer)
        Assert.Equal(0.0, HarmonicMean.Compute("model_utility", nine).Aggregate);
    }
}

public class MemorizationTests
{
    private static readonly IReadOnlyList<bool>[] Answers =
    [
        [true, true, true, true],      // EM 1,    k* = 0 → ES 1
        [false, true, false, true],    // EM 1/2,  suffix from 3 correct → k* = 3 → ES 1 − 3/4
        [true, true, true, false],     // EM 3/4,  last wrong → k* = 4 → ES 0
    ];

    [Fact]
    public void Exact_Memorization_Should_Be_The_Fraction_Of_Correct_Tokens()
    {
        var em = Memorization.ExactMemorization(Answers);
        Assert.Equal([1.0, 0.5, 0.75], em.PerExample);
        Assert.Equal(0.75, em.Aggregate, 1e-15);
    }

    [Fact]
    public void Extraction_Strength_Should_Be_One_Minus_The_Start_Of_The_Correct_Suffix()
    {
        var es = Memorization.ExtractionStrength(Answers);
        Assert.Equal([1.0, 0.25, 0.0], es.PerExample);
        Assert.Equal(1.25 / 3, es.Aggregate, 1e-15);
    }
}
