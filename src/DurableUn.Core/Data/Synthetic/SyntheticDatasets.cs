using DurableUn.IO;
using DurableUn.Randomness;
namespace DurableUn.Data.Synthetic;

/// <summary>
/// Writes a synthetic benchmark folder: the same layout, schemas and writer as real data (DatasetLayout,
/// RowFileWriter), so DatasetFolder.Load reads it exactly as it reads a real one. Output is a pure function of
/// (kind, preset, seed, difficulty, forget size): the same arguments give byte-identical files on any machine (SeededRng).
/// The folder appears whole or not at all: files are written into a staging folder beside the target, which is
/// then renamed; an existing target is refused rather than mixed with new files.
/// Not: the token-level vocabulary (collect words from Dataset.AllText) or chunking of raw text.
/// </summary>
public static class SyntheticDatasets
{
    /// Recorded in dataset.json; bump when a change makes the same seed produce different data.
    public const string Generator = "durableun-synthetic/1";

    /// <param name="forgetSize">Least number of forget QA items: the preset's entity counts grow in proportion until the
    /// forget set holds at least this many (<see cref="PresetSizes.WithForgetItems"/>); null keeps the preset's.</param>
    public static Dataset Write(DatasetKind kind, DataPreset preset, ulong seed, string outDir,
        DataDifficulty difficulty = DataDifficulty.Normal, int? forgetSize = null)
    {
        var sizes = forgetSize is { } n ? PresetSizes.For(preset).WithForgetItems(kind, difficulty, n) : PresetSizes.For(preset);
        var target = Path.GetFullPath(outDir);
        StagingFolder.Build(target, staging =>
        {
            foreach (var (split, rows) in Generate(kind, sizes, difficulty, seed))
                RowFileWriter.Write(Path.Combine(staging, split.Replace('/', Path.DirectorySeparatorChar) + ".json"), rows);
            var manifest = new DatasetManifest(kind, Generator, seed, preset, difficulty, forgetSize);
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
