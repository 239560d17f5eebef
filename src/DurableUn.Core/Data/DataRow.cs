namespace DurableUn.Data;

/// <summary>
/// The records of the three benchmarks, one type per row schema (docs/benchmarks.md: TOFU, MUSE-News, WPU).
/// Field names on disk are in the comments. Every row lists its strings in <see cref="DataRow.Texts"/> so a
/// tokenizer builder can collect the vocabulary of any dataset, real or synthetic.
/// Not: tokens, templates or label masks (see PromptTemplate and the tokenization code).
/// </summary>
public abstract record DataRow
{
    private protected DataRow() { }

    /// Every string the row holds, in field order.
    public abstract IEnumerable<string> Texts();
}
