namespace DurableUn.Data;

/// <summary>
/// A benchmark's name in folders, keys, records and on the command line: the <see cref="DatasetKind"/> in lower
/// case (tofu, muse, wpu).
/// </summary>
public static class DatasetNames
{
    public static string Of(DatasetKind kind) => kind.ToString().ToLowerInvariant();

    /// The dataset named exactly <paramref name="name"/> (tofu, muse, wpu); otherwise an error listing them.
    public static DatasetKind Parse(string name) =>
        Enum.GetValues<DatasetKind>().Where(k => Of(k) == name).Cast<DatasetKind?>().FirstOrDefault()
        ?? throw new ArgumentException($"unknown dataset \"{name}\"; known: {string.Join(", ", Enum.GetValues<DatasetKind>().Select(Of))}");
}
