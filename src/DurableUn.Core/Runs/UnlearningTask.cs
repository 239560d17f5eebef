using DurableUn.Data.Tokenized;
using DurableUn.Data;

namespace DurableUn.Runs;

/// <summary>
/// What one benchmark asks to forget and to keep, as QA items (the unit FA and RA are measured on) plus the raw
/// texts that go into fine-tuning. Per benchmark (docs/benchmarks.md):
/// <list type="bullet">
/// <item>TOFU: forget = forgetNN (forget10 by default), retain = the matching retainMM, holdout = holdoutNN.</item>
/// <item>MUSE-News: forget = knowmem forget_qa, retain = knowmem retain_qa; raw forget/retain articles are trained
///   on too (the target has read the news), holdout = raw holdout articles for membership inference.</item>
/// <item>WPU: forget = forget QA; retain = hard_retain ∪ general_retain QA; wikipages of all people are trained on.</item>
/// </list>
/// RA is measured on at most <c>retainEvalCap</c> retain items (the first ones, a fixed subset) to keep evaluation
/// cost bounded; the cap is recorded in the study spec. Not: benchmark-specific metrics (Evaluation suites).
/// </summary>
public sealed record UnlearningTask(
    DatasetKind Kind,
    IReadOnlyList<QaItem> Forget,
    IReadOnlyList<QaItem> Retain,
    IReadOnlyList<QaItem> RetainEval,
    IReadOnlyList<string> ForgetTexts,
    IReadOnlyList<string> RetainTexts)
{
    /// Retain items RA is measured on unless the caller says otherwise.
    public const int DefaultRetainEvalCap = 40;

    public static UnlearningTask From(Dataset dataset, string tofuForgetSplit = "forget10", int retainEvalCap = DefaultRetainEvalCap)
    {
        switch (dataset.Kind)
        {
            case DatasetKind.Tofu:
            {
                var percent = tofuForgetSplit.StartsWith("forget", StringComparison.Ordinal) && int.TryParse(tofuForgetSplit[6..], out var p)
                    ? p : throw new ArgumentException($"TOFU forget split must be forget01, forget05 or forget10, got \"{tofuForgetSplit}\"");
                var retain = dataset.Qa($"retain{100 - percent:00}");
                return new UnlearningTask(DatasetKind.Tofu, dataset.Qa(tofuForgetSplit), retain, retain.Take(retainEvalCap).ToList(), [], []);
            }
            case DatasetKind.Muse:
            {
                var retain = dataset.Qa("knowmem/retain_qa");
                return new UnlearningTask(DatasetKind.Muse, dataset.Qa("knowmem/forget_qa"), retain, retain.Take(retainEvalCap).ToList(),
                    Texts(dataset, "raw/forget"), Texts(dataset, "raw/retain1"));
            }
            case DatasetKind.Wpu:
            {
                var forget = dataset.Rows<WpuItem>("forget");
                if (forget.FirstOrDefault(r => r.Wikipage is null) is { } bare)
                    throw new DataFormatException(dataset.Split("forget").Files[0], forget.ToList().IndexOf(bare), "wikipage",
                        "missing: the forget people's pages are what the target model is fine-tuned on");
                // Retain = hard_retain ∪ general_retain, whichever of them the folder has (at least one).
                var retainSplits = new[] { "hard_retain", "general_retain" }.Where(dataset.Has).ToList();
                if (retainSplits.Count == 0)
                    throw new DataFormatException(dataset.Directory, null, null, "a WPU folder needs hard_retain or general_retain (or both) to measure retention");
                var retainRows = retainSplits.SelectMany(dataset.Rows<WpuItem>).ToList();
                var retain = retainRows.Select(r => r.AsQa()).ToList();
                return new UnlearningTask(DatasetKind.Wpu, forget.Select(r => r.AsQa()).ToList(), retain, retain.Take(retainEvalCap).ToList(),
                    forget.Select(r => r.Wikipage!).Distinct().ToList(),
                    retainRows.Where(r => r.Wikipage is not null).Select(r => r.Wikipage!).Distinct().ToList());
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(dataset), dataset.Kind, "unknown dataset kind");
        }
    }

    /// <summary>
    /// Every forget and retain item fits a model context of <paramref name="context"/> tokens, checked before any model
    /// trains or decodes on them: an item that does not is one error naming the data folder, the split, its row and its
    /// length, instead of being cut short silently.
    /// </summary>
    public void CheckFits(QaEncoder encoder, string dataDir, int context)
    {
        encoder.CheckFits(Forget, $"{dataDir} (forget split)", context);
        encoder.CheckFits(Retain, $"{dataDir} (retain split)", context);
    }

    private static List<string> Texts(Dataset dataset, string split) => dataset.Rows<TextItem>(split).Select(t => t.Text).ToList();
}
