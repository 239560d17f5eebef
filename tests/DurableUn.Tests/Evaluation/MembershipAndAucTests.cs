using DurableUn.Evaluation;
using DurableUn.Statistics;

namespace DurableUn.Tests.Evaluation;

public class AucTests
{
    [Fact]
    public void Auc_Should_Count_Each_Tie_As_Half_A_Win()
    {
        // Given positives {3, 2} and negatives {1, 2}
        // When every positive/negative pair is compared: 3>1, 3>2, 2>1 win; 2=2 is a tie
        var auc = Auc.Compute([3, 2], [1, 2]);
        // Then AUC = (3 + 0.5) / 4
        Assert.Equal(0.875, auc);
    }
}

public class MembershipScoresTests
{
    private static readonly double[] LogProbs = [-0.1, -2.0, -0.5, -4.0, -1.0];

    [Fact]
    public void MinK_Should_Average_The_Lowest_Floor_Kt_Log_Probs()
    {
        // Given 5 tokens and k = 0.4: ⌊0.4·5⌋ = 2 lowest are −4.0 and −2.0
        // When scored by either convention
        // Then both give −mean = 3.0
        Assert.Equal(3.0, MembershipScores.MinKOpenUnlearning(LogProbs, 0.4));
        Assert.Equal(3.0, MembershipScores.MinKMuse(LogProbs, 0.4));
    }

    [Fact]
    public void MinK_Conventions_Should_Differ_When_Floor_Kt_Is_Zero()
    {
        // Given 5 tokens and k = 0.1: ⌊0.5⌋ = 0 tokens
        // When scored
        // Then open-unlearning keeps its single worst token (max(1, 0) = 1) and MUSE has no score
        Assert.Equal(4.0, MembershipScores.MinKOpenUnlearning(LogProbs, 0.1));
        Assert.True(double.IsNaN(MembershipScores.MinKMuse(LogProbs, 0.1)));
    }

    [Fact]
    public void MinKPlusPlus_Should_Take_The_Lowest_Z_Scores()
    {
        // Given z-scores of 4 tokens and k = 0.5: the 2 lowest are −3 and −1
        var score = MembershipScores.MinKPlusPlus([0.5, -1.0, 2.0, -3.0], 0.5);
        // Then the score is −mean = 2
        Assert.Equal(2.0, score);
    }

    [Fact]
    public void Loss_Should_Be_The_Mean_Nll()
    {
        // Given log-probs summing to −7.6 over 5 tokens
        // Then LOSS = 7.6 / 5
        Assert.Equal(1.52, MembershipScores.Loss(LogProbs), 1e-15);
    }

    [Theory]
    // Lengths of Python's len(zlib.compress(text.encode("utf-8"))), zlib default level, printed by
    // /usr/bin/python3 (Debian zlib 1.2.13) when this test was written. Band ±2 bytes: .NET's zlib-ng
    // gave 51 for the 50-byte case (see MembershipScores.ZlibLength).
    [InlineData("The quick brown fox jumps over the lazy dog", 50)]
    [InlineData("naïve café — 東京", 32)]
    public void ZlibLength_Should_Be_Within_Two_Bytes_Of_Pythons_Zlib_Compress(string text, int pythonLength)
    {
        // Given a text
        // When compressed as open-unlearning's mia_zlib does
        // Then the byte length is Python's, give or take the zlib-ng difference
        Assert.InRange(MembershipScores.ZlibLength(text), pythonLength - 2, pythonLength + 2);
    }

    [Fact]
    public void Zlib_Should_Divide_The_Mean_Nll_By_The_Compressed_Length()
    {
        // Given LOSS 1.52 and a text
        const string text = "The quick brown fox jumps over the lazy dog";
        // When scored
        var score = MembershipScores.Zlib(LogProbs, text);
        // Then zlib = LOSS / compressed length
        Assert.Equal(1.52 / MembershipScores.ZlibLength(text), score, 1e-15);
    }
}

public class PrivLeakTests
{
    [Fact]
    public void A_Model_That_Memorised_The_Forget_Set_Should_Leak_Minus_100()
    {
        // Given Min-K scores (NLL-like) far lower on forget texts than on holdout texts
        // When MUSE's AUC is taken (holdout positive, score −s): every holdout −s is below every forget −s
        var result = PrivLeak.Compute(forgetScores: [0.1, 0.2, 0.3], holdoutScores: [2.0, 2.5, 3.0]);
        // Then AUC = 0 and PrivLeak = (0 − 0.4772)/0.4772 × 100 = −100
        Assert.Equal(-100.0, result.Aggregate, 1e-12);
        Assert.Equal([0.1, 0.2, 0.3, 2.0, 2.5, 3.0], result.PerExample);
    }

    [Fact]
    public void A_Model_Matching_The_Retrained_Auc_Should_Leak_Zero()
    {
        // Given scores whose MUSE AUC is 0.5 (forget {1, 3} vs holdout {2, 2}: pairs 1<2, 1<2 lose, 3>2, 3>2 win)
        // When PrivLeak is taken against a retrained AUC of 0.5
        var result = PrivLeak.Compute([1, 3], [2, 2], aucRetrain: 0.5);
        // Then it is 0
        Assert.Equal(0.0, result.Aggregate, 1e-12);
    }
}
