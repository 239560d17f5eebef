using DurableUn.Data;

namespace DurableUn.Evaluation;

/// <summary>
/// MUSE KnowMem's few-shot prompt and answer cut (swj0419/muse_bench eval.py eval_knowmem;
/// docs/metrics.md#muse-news-metrics). Prompt: every in-context pair as "Question: {q}\nAnswer: {a}\n\n", then
/// "Question: {q}\nAnswer: ". Cut: the greedy output ends at the first "\n\n", "\nQuestion" or "Question:", whichever
/// comes first (the model starting the next few-shot turn), and is trimmed.
/// Not: generation or scoring (MuseSuite), or the chat template: MUSE's base models see plain text.
/// </summary>
public static class KnowMemPrompt
{
    private static readonly string[] Stops = ["\n\n", "\nQuestion", "Question:"];

    public static string Build(IEnumerable<QaItem> examples, string question) =>
        string.Concat(examples.Select(e => $"Question: {e.Question}\nAnswer: {e.Answer}\n\n")) + $"Question: {question}\nAnswer: ";

    public static string Cut(string generated)
    {
        var end = Stops.Select(s => generated.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(generated.Length).Min();
        return generated[..end].Trim();
    }
}
