namespace DurableUn.Data;

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
