namespace DurableUn.Data;

/// TOFU forget/retain/holdout rows and MUSE knowmem rows: `question`, `answer`.
public sealed record QaItem(string Question, string Answer, KeyFact? KeyFact = null) : DataRow
{
    public override IEnumerable<string> Texts() => [Question, Answer];
}
