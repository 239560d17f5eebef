using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Presets;
using DurableUn.Training;

namespace DurableUn.Pretraining;

/// <summary>
/// A preset's pretrained base: the freshly initialised preset (<see cref="PresetInitializer"/>: BPE
/// tokenizer and random weights from the data seed), trained on a <see cref="PretrainingCorpus"/> whose entities avoid
/// the synthetic benchmarks of the same size and seed, through the cache (<see cref="PretrainedBases"/>).
/// Not: the training loop (<see cref="Pretrainer"/>).
/// </summary>
public static class PresetBase
{
    /// <summary>The cached base folder for the preset and data seed, trained first when absent.</summary>
    public static (string Folder, bool Trained) Ensure(ModelPreset preset, ulong dataSeed, PretrainOptions options, string cacheDir,
                                                       Action<StepRecord>? onStep = null)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-pretrain-").FullName;
        try
        {
            var initial = Path.Combine(scratch, "initial");
            PresetInitializer.Write(preset, dataSeed, initial);
            return PretrainedBases.Ensure(initial, Corpus(preset, dataSeed, options), options, cacheDir, onStep);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Copies the cached base into <paramref name="outDir"/> (a path to create), training it first when absent.</summary>
    public static void Write(ModelPreset preset, ulong dataSeed, PretrainOptions options, string cacheDir, string outDir,
                             Action<StepRecord>? onStep = null)
    {
        var (folder, _) = Ensure(preset, dataSeed, options, cacheDir, onStep);
        Directory.CreateDirectory(outDir);
        foreach (var file in Directory.EnumerateFiles(folder))
            File.Copy(file, Path.Combine(outDir, Path.GetFileName(file)));
    }

    /// <summary>The corpus of the preset's base: general text about entities absent from its benchmarks.</summary>
    public static PretrainingCorpus Corpus(ModelPreset preset, ulong dataSeed, PretrainOptions options)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-avoid-").FullName;
        try
        {
            var benchmarks = Enum.GetValues<DatasetKind>()
                .Select(kind => SyntheticDatasets.Write(kind, ModelPresets.Data(preset), dataSeed, Path.Combine(scratch, kind.ToString()))).ToList();
            var keyFacts = benchmarks.SelectMany(b => b.Splits).SelectMany(s => s.Rows)
                .Select(r => r switch { QaItem q => q.KeyFact, PerturbedQaItem p => p.KeyFact, _ => null })
                .OfType<KeyFact>().Select(k => k.Text);
            return PretrainingCorpus.Generate(benchmarks.SelectMany(b => b.AllText()), keyFacts, options.Seed, options.Documents, options.HeldOut);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
