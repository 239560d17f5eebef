namespace DurableUn.Data;

/// WPU rows: `title` (the person), `wikipage` (their document), `question`, `answer`.
public sealed record WpuItem(string Title, string? Wikipage, string Question, string Answer, KeyFact? KeyFact = null)
    : DataRow
{
    public QaItem AsQa() => new(Question, Answer, KeyFact);

    public override IEnumerable<string> Texts() => Wikipage is null ? [Title, Question, Answer] : [Title, Wikipage, Question, Answer];
}
