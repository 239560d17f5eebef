namespace DurableUn.Data;

/// <summary>
/// One file of QA rows (`question`, `answer`, optional key-fact fields) in any format the folder loader reads
/// (JSON array, JSON Lines, Parquet): what `durableun audit` takes for someone else's forget and retain sets.
/// Loaded fully or not at all; errors name the file, the row and the field.
/// </summary>
public static class QaFile
{
    public static IReadOnlyList<QaItem> Load(string path)
    {
        if (Directory.Exists(path)) throw new DataFormatException(path, null, null, "is a folder, not a file (give one JSON, JSON Lines or Parquet file of QA rows)");
        if (!File.Exists(path)) throw new FileNotFoundException($"QA file not found: {path}", path);
        var rows = RowFileReader.Read(path).Select(r => (QaItem)RowCodec.Read(RowKind.Qa, r)).ToList();
        if (rows.Count == 0) throw new DataFormatException(path, null, null, "the file holds no rows");
        return rows;
    }
}
