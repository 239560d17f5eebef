namespace DurableUn.Data;

/// <summary>One loaded split: its spec, the files it came from, and all of its rows.</summary>
public sealed record DataSplit(SplitSpec Spec, IReadOnlyList<string> Files, IReadOnlyList<DataRow> Rows)
{
    public string Name => Spec.Name;
}

/// <summary>
/// A benchmark folder loaded in full: the splits present, each looked up by its exact name.
/// <see cref="Qa"/> gives question/answer pairs from any QA-shaped split (plain, perturbed or WPU), which is what
/// training and most metrics need; <see cref="Rows{T}"/> gives the full rows of one schema.
/// Not: loading (DatasetFolder.Load) or templating (PromptTemplate).
/// </summary>
public sealed class Dataset
{
    private readonly IReadOnlyDictionary<string, DataSplit> _splits;

    internal Dataset(string directory, DatasetKind kind, DatasetManifest? manifest, IEnumerable<DataSplit> splits)
    {
        Directory = directory;
        Kind = kind;
        Manifest = manifest;
        _splits = splits.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public string Directory { get; }
    public DatasetKind Kind { get; }
    /// Null for a real dataset folder without dataset.json (its kind was inferred from the file names).
    public DatasetManifest? Manifest { get; }

    /// The splits present, in the benchmark's own order.
    public IReadOnlyList<DataSplit> Splits =>
        DatasetLayout.Splits(Kind).Where(s => _splits.ContainsKey(s.Name)).Select(s => _splits[s.Name]).ToList();

    public DataSplit Split(string name)
    {
        DatasetLayout.Spec(Kind, name);   // an unknown name fails listing the benchmark's split names
        return _splits.TryGetValue(name, out var split)
            ? split
            : throw new KeyNotFoundException(
                $"split '{name}' is missing from {Directory} (no {name}.json, .jsonl or .parquet). Present: {string.Join(", ", Splits.Select(s => s.Name))}.");
    }

    /// The benchmark's splits this folder does not have, in the benchmark's order: `data show` lists them, and a
    /// command that needs one of them names it (<see cref="Split"/>).
    public IReadOnlyList<string> Missing =>
        DatasetLayout.Splits(Kind).Where(s => !_splits.ContainsKey(s.Name)).Select(s => s.Name).ToList();

    /// Whether split <paramref name="name"/> (a name the benchmark defines) is present.
    public bool Has(string name)
    {
        DatasetLayout.Spec(Kind, name);
        return _splits.ContainsKey(name);
    }

    /// The rows of split <paramref name="name"/>, which must all be of type <typeparamref name="T"/>.
    public IReadOnlyList<T> Rows<T>(string name) where T : DataRow
    {
        var split = Split(name);
        return split.Rows.All(r => r is T)
            ? split.Rows.Cast<T>().ToList()
            : throw new InvalidOperationException($"split '{name}' holds {split.Spec.Rows} rows, not {typeof(T).Name}");
    }

    /// Question/answer pairs (with key facts when present) of a Qa, PerturbedQa or Wpu split.
    public IReadOnlyList<QaItem> Qa(string name)
    {
        var split = Split(name);
        return split.Rows.Select(row => row switch
        {
            QaItem q => q,
            PerturbedQaItem p => p.AsQa(),
            WpuItem w => w.AsQa(),
            _ => throw new InvalidOperationException($"split '{name}' holds {split.Spec.Rows} rows, which have no question/answer"),
        }).ToList();
    }

    /// Every string of every split, for building a word vocabulary.
    public IEnumerable<string> AllText() => Splits.SelectMany(s => s.Rows).SelectMany(r => r.Texts());

    public DatasetSummary Summary() => new(Directory, Kind, Manifest,
        Splits.Select(s => new SplitSummary(s.Name, s.Spec.Rows, s.Rows.Count, s.Files.Count,
            s.Rows.SelectMany(r => r.Texts()).Sum(WordCount))).ToList());

    private static int WordCount(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
