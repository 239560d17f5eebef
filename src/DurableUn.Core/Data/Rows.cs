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

/// <summary>
/// The span of the fact an item is about, inside its answer: answer[Start..End] == Text. Synthetic data always
/// has one (fields key_fact, key_fact_start, key_fact_end); real benchmark files do not, so it is optional.
/// </summary>
public sealed record KeyFact(string Text, int Start, int End);

/// TOFU forget/retain/holdout rows and MUSE knowmem rows: `question`, `answer`.
public sealed record QaItem(string Question, string Answer, KeyFact? KeyFact = null) : DataRow
{
    public override IEnumerable<string> Texts() => [Question, Answer];
}

/// <summary>
/// TOFU *_perturbed rows: `question`, `answer`, `paraphrased_answer`, `perturbed_answer` (a list: 5 wrong answers
/// for forget/retain, 3 for real_authors/world_facts). ParaphrasedAnswer is optional because the truth ratio of
/// real_authors and world_facts compares against the original answer instead.
/// </summary>
public sealed record PerturbedQaItem(
    string Question, string Answer, string? ParaphrasedAnswer, IReadOnlyList<string> PerturbedAnswers,
    KeyFact? KeyFact = null) : DataRow
{
    public QaItem AsQa() => new(Question, Answer, KeyFact);

    public override IEnumerable<string> Texts() =>
        [Question, Answer, .. ParaphrasedAnswer is null ? [] : new[] { ParaphrasedAnswer }, .. PerturbedAnswers];
}

/// MUSE raw and privleak rows: `text`.
public sealed record TextItem(string Text) : DataRow
{
    public override IEnumerable<string> Texts() => [Text];
}

/// MUSE verbmem rows: `prompt` and its ground-truth continuation `gt`.
public sealed record VerbMemItem(string Prompt, string Gt) : DataRow
{
    public override IEnumerable<string> Texts() => [Prompt, Gt];
}

/// WPU rows: `title` (the person), `wikipage` (their document), `question`, `answer`.
public sealed record WpuItem(string Title, string? Wikipage, string Question, string Answer, KeyFact? KeyFact = null)
    : DataRow
{
    public QaItem AsQa() => new(Question, Answer, KeyFact);

    public override IEnumerable<string> Texts() => Wikipage is null ? [Title, Question, Answer] : [Title, Wikipage, Question, Answer];
}
