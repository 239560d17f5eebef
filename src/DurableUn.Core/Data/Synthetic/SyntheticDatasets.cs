using DurableUn.IO;
using DurableUn.Randomness;
namespace DurableUn.Data.Synthetic;

/// <summary>
/// Writes a synthetic benchmark folder: the same layout, schemas and writer as real data (DatasetLayout,
/// RowFileWriter), so DatasetFolder.Load reads it exactly as it reads a real one. Output is a pure function of
/// (kind, preset, seed, difficulty): the same arguments give byte-identical files on any machine (SeededRng).
/// The folder appears whole or not at all: files are written into a staging folder beside the target, which is
/// then renamed; an existing target is refused rather than mixed with new files.
/// Not: the token-level vocabulary (collect words from Dataset.AllText) or chunking of raw text.
/// </summary>
public static class SyntheticDatasets
{
    /// Recorded in dataset.json; bump when a change makes the same seed produce different data.
    public const string Generator = "durableun-synthetic/1";

    public static Dataset Write(DatasetKind kind, DataPreset preset, ulong seed, string outDir,
        DataDifficulty difficulty = DataDifficulty.Normal)
    {
        var target = Path.GetFullPath(outDir);
        StagingFolder.Build(target, staging =>
        {
            foreach (var (split, rows) in Generate(kind, PresetSizes.For(preset), difficulty, seed))
                RowFileWriter.Write(Path.Combine(staging, split.Replace('/', Path.DirectorySeparatorChar) + ".json"), rows);
            var manifest = new DatasetManifest(kind, Generator, seed, preset, difficulty);
            AtomicFile.WriteAllBytes(Path.Combine(staging, DatasetLayout.ManifestFile), manifest.ToJsonBytes());
        });
        return DatasetFolder.Load(target);
    }

    private static IEnumerable<(string Split, IReadOnlyList<DataRow> Rows)> Generate(
        DatasetKind kind, PresetSizes sizes, DataDifficulty difficulty, ulong seed) => kind switch
    {
        DatasetKind.Tofu => TofuGenerator.Generate(sizes, difficulty, seed),
        DatasetKind.Muse => MuseGenerator.Generate(sizes, difficulty, seed),
        DatasetKind.Wpu => WpuGenerator.Generate(sizes, difficulty, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
