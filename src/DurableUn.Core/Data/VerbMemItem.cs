namespace DurableUn.Data;

/// MUSE verbmem rows: `prompt` and its ground-truth continuation `gt`.
public sealed record VerbMemItem(string Prompt, string Gt) : DataRow
{
    public override IEnumerable<string> Texts() => [Prompt, Gt];
}
