using System.IO.Compression;
using System.Text;
using DurableUn.Statistics;

namespace DurableUn.Evaluation;

/// <summary>
/// Membership-inference scores of one text from its per-token log-probabilities log p(x_t | x_&lt;t)
/// (natural log, one per scored token). Every score here is "higher = less likely a member" (an NLL-like
/// number), as in open-unlearning's MIA attacks (src/evals/metrics/mia/*.py) and MUSE's Min-K%.
/// Which tokens are scored (EOS kept or dropped, BOS never) is the caller's choice;
/// docs/metrics.md#which-tokens-are-scored says OU drops the final position for Min-K/Min-K++ and keeps it for LOSS and
/// zlib. Not: computing log-probabilities or the per-token μ/σ of Min-K%++ (that needs the model's full
/// distribution), GradNorm or reference-model attacks, or the AUC between groups (<see cref="Auc"/>).
/// </summary>
public static class MembershipScores
{
    /// LOSS attack (Yeom et al. 2018): mean per-token NLL.
    public static double Loss(IReadOnlyList<double> tokenLogProbs)
    {
        RequireTokens(tokenLogProbs);
        return -tokenLogProbs.Average();
    }

    /// <summary>
    /// zlib attack (Carlini et al. 2021) as OU's mia_zlib: mean NLL divided by the length in bytes of
    /// zlib.compress(text as UTF-8) (default level 6). The mean NLL, not NLL·|text|: OU divides avg_loss.
    /// </summary>
    public static double Zlib(IReadOnlyList<double> tokenLogProbs, string text) =>
        Loss(tokenLogProbs) / ZlibLength(text);

    /// <summary>
    /// Length of a zlib stream of the UTF-8 text at the default level, the quantity of Python's
    /// len(zlib.compress(text.encode("utf-8"))). .NET compresses with zlib-ng, whose output can be a
    /// byte or two off CPython's zlib (measured: 51 vs 50 bytes on a 43-byte sentence), so zlib scores
    /// match OU's to about 2%, not bit for bit. Empty text is rejected: no MIA sample is empty.
    /// </summary>
    public static int ZlibLength(string text)
    {
        if (text.Length == 0) throw new ArgumentException("zlib score needs non-empty text.", nameof(text));
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(Encoding.UTF8.GetBytes(text));
        return (int)buffer.Length;
    }

    /// <summary>
    /// Min-K% Prob (Shi et al., ICLR 2024) as open-unlearning's mia_min_k: −mean of the
    /// max(1, ⌊k·T⌋) lowest log-probabilities, so a short text still scores its worst token.
    /// </summary>
    public static double MinKOpenUnlearning(IReadOnlyList<double> tokenLogProbs, double k)
    {
        RequireTokens(tokenLogProbs);
        return -Lowest(tokenLogProbs, Math.Max(1, CountFor(tokenLogProbs.Count, k))).Average();
    }

    /// <summary>
    /// Min-K% Prob as MUSE computes it for PrivLeak (muse_bench metrics/privleak: sort, take ⌊k·T⌋):
    /// −mean of the ⌊k·T⌋ lowest log-probabilities. A text with ⌊k·T⌋ = 0 has no score (NaN), as numpy's
    /// mean of an empty slice; MUSE's texts are long enough that it never happens.
    /// </summary>
    public static double MinKMuse(IReadOnlyList<double> tokenLogProbs, double k)
    {
        RequireTokens(tokenLogProbs);
        var count = CountFor(tokenLogProbs.Count, k);
        return count == 0 ? double.NaN : -Lowest(tokenLogProbs, count).Average();
    }

    /// <summary>
    /// Min-K%++ (Zhang et al. 2024) as OU's mia_min_k_plus_plus, given the per-token z-scores
    /// z_t = (log p_t − μ_t)/σ_t with μ_t, σ_t the mean and std of log p over the vocabulary under
    /// p(· | x_&lt;t): −mean of the max(1, ⌊k·T⌋) lowest z-scores.
    /// </summary>
    public static double MinKPlusPlus(IReadOnlyList<double> tokenZScores, double k) =>
        MinKOpenUnlearning(tokenZScores, k);

    // int(T·k) in Python truncates toward zero.
    private static int CountFor(int tokens, double k)
    {
        if (k is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k is a fraction in (0, 1].");
        return (int)Math.Floor(tokens * k);
    }

    private static IEnumerable<double> Lowest(IEnumerable<double> values, int count) => values.Order().Take(count);

    private static void RequireTokens(IReadOnlyList<double> tokenLogProbs)
    {
        if (tokenLogProbs.Count == 0) throw new ArgumentException("A membership score needs at least one token.");
    }
}
