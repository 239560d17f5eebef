using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Presets;
using DurableUn.Training;

namespace DurableUn.Pretraining;

/// <summary>
/// A preset's pretrained base: the freshly initialised preset (<see cref="PresetInitializer"/>: BPE
/// tokenizer and random weights from the data seed), trained on a <see cref="PretrainingCorpus"/> whose entities avoid
/// the synthetic benchmarks of the same size and seed, through the cache (<see cref="PretrainedBases"/>). A study with a
/// forget size of its own (more entities) gets a base whose corpus avoids those too: another corpus, another cached base,
/// when the lexicon has room for it (at the tiny preset it does not: such a study needs the random base).
/// Not: the training loop (<see cref="Pretrainer"/>).
/// </summary>
public static class PresetBase
{
    /// <summary>The cached base folder for the preset and data seed, trained first when absent.</summary>
    public static (string Folder, bool Trained) Ensure(ModelPreset preset, ulong dataSeed, PretrainOptions options, string cacheDir,
                                                       Action<StepRecord>? onStep = null, int? forgetSize = null)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-pretrain-").FullName;
        try
        {
            var initial = Path.Combine(scratch, "initial");
            PresetInitializer.Write(preset, dataSeed, initial);
            return PretrainedBases.Ensure(initial, Corpus(preset, dataSeed, options, forgetSize), options, cacheDir, onStep);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Copies the cached base into <paramref name="outDir"/> (a path to create), training it first when absent.</summary>
    public static void Write(ModelPreset preset, ulong dataSeed, PretrainOptions options, string cacheDir, string outDir,
                             Action<StepRecord>? onStep = null, int? forgetSize = null)
    {
        var (folder, _) = Ensure(preset, dataSeed, options, cacheDir, onStep, forgetSize);
        Directory.CreateDirectory(outDir);
        foreach (var file in Directory.EnumerateFiles(folder))
            File.Copy(file, Path.Combine(outDir, Path.GetFileName(file)));
    }

    /// <summary>The corpus of the preset's base: general text about entities absent from its benchmarks.</summary>
    public static PretrainingCorpus Corpus(ModelPreset preset, ulong dataSeed, PretrainOptions options, int? forgetSize = null)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-avoid-").FullName;
        try
        {
            var benchmarks = Enum.GetValues<DatasetKind>()
                .Select(kind => SyntheticDatasets.Write(kind, ModelPresets.Data(preset), dataSeed, Path.Combine(scratch, kind.ToString()), forgetSize: forgetSize)).ToList();
            var keyFacts = benchmarks.SelectMany(b => b.Splits).SelectMany(s => s.Rows)
                .Select(r => r switch { QaItem q => q.KeyFact, PerturbedQaItem p => p.KeyFact, _ => null })
                .OfType<KeyFact>().Select(k => k.Text);
            return PretrainingCorpus.Generate(benchmarks.SelectMany(b => b.AllText()), keyFacts, options.Seed, options.Documents, options.HeldOut);
        }
        catch (InvalidOperationException e) when (forgetSize is not null)
        {
            // Seen at the tiny preset from --forget-size 60 up: the grown benchmarks' key facts block most titles.
            throw new InvalidOperationException(
                $"forget_size {forgetSize}: the pretraining corpus cannot stay disjoint from benchmarks this large ({e.Message}); " +
                "use --base random, or the preset's own size", e);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
