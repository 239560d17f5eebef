namespace DurableUn.Data;

/// MUSE raw and privleak rows: `text`.
public sealed record TextItem(string Text) : DataRow
{
    public override IEnumerable<string> Texts() => [Text];
}
