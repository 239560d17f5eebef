using DurableUn.Statistics;

namespace DurableUn.Evaluation;

/// <summary>
/// Membership-inference AUCs of forget (member) against holdout (non-member) examples, one per attack of
/// open-unlearning's MIA suite that needs only the model itself (src/evals/metrics/mia/loss.py, zlib.py, min_k.py,
/// min_k_plus_plus.py): <c>mia_loss_auc</c>, <c>mia_zlib_auc</c>, <c>mia_min_k_auc</c>, <c>mia_min_k_plus_plus_auc</c>.
/// Convention: AUC = P(a member looks more like a member than a non-member) + ½ ties, so 1 means the forget
/// examples are perfectly identified as trained on, 0.5 means indistinguishable (the retain model's ideal), and an
/// unlearned model below 0.5 looks less familiar with its forget set than with unseen data. This is the same
/// number as OU's mia_* AUC (holdout labelled 1, raw "higher = less member" score), and 1 − MUSE's PrivLeak AUC.
/// Per-example values are the attack scores (<see cref="MembershipScores"/>: higher = less likely a member),
/// members first, then non-members.
/// Tokens (docs/metrics.md#which-tokens-are-scored): LOSS and zlib use every scored token; Min-K% and Min-K%++ drop the
/// final position when it is an appended EOS (<c>lastIsEos</c>: QA answers), and keep it for raw text.
/// Not: GradNorm or reference-model attacks (they need gradients or a second model), or which examples are
/// members (the suites choose the splits).
/// </summary>
public static class MembershipAttacks
{
    /// One scored example: its token scores and the text the zlib attack compresses (the scored text itself).
    public sealed record Example(TokenScores Scores, string Text);

    /// The names <see cref="Evaluate"/> returns, in order.
    public static IReadOnlyList<string> MetricNames { get; } =
        ["mia_loss_auc", "mia_zlib_auc", "mia_min_k_auc", "mia_min_k_plus_plus_auc"];

    public static IReadOnlyList<MetricResult> Evaluate(IReadOnlyList<Example> members, IReadOnlyList<Example> nonMembers,
                                                       bool lastIsEos, double k = 0.4)
    {
        double[] Tokens(double[] values) => lastIsEos ? values[..^1] : values;
        return
        [
            Attack("mia_loss_auc", members, nonMembers, e => MembershipScores.Loss(e.Scores.LogProbs)),
            Attack("mia_zlib_auc", members, nonMembers, e => MembershipScores.Zlib(e.Scores.LogProbs, e.Text)),
            Attack("mia_min_k_auc", members, nonMembers, e => MembershipScores.MinKOpenUnlearning(Tokens(e.Scores.LogProbs), k)),
            Attack("mia_min_k_plus_plus_auc", members, nonMembers, e => MembershipScores.MinKPlusPlus(Tokens(e.Scores.ZScores), k)),
        ];
    }

    /// The AUC of "higher = less likely a member" scores, members as the positives of −score.
    public static double MemberAuc(IReadOnlyList<double> memberScores, IReadOnlyList<double> nonMemberScores) =>
        Auc.Compute(memberScores.Select(s => -s).ToList(), nonMemberScores.Select(s => -s).ToList());

    private static MetricResult Attack(string name, IReadOnlyList<Example> members, IReadOnlyList<Example> nonMembers,
                                       Func<Example, double> score)
    {
        var m = members.Select(score).ToList();
        var n = nonMembers.Select(score).ToList();
        return new MetricResult(name, MemberAuc(m, n), [.. m, .. n]);
    }
}
