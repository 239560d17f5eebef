using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Presets;
using DurableUn.Training;

namespace DurableUn.Pretraining;

/// <summary>
/// A preset's pretrained base: the freshly initialised preset (<see cref="PresetInitializer"/>: BPE
/// tokenizer and random weights from the data seed), trained on a <see cref="PretrainingCorpus"/> whose generated
/// entities avoid the synthetic benchmarks of the same size and seed and which holds WPU's people (all of them, or all
/// but the forget people for the floor: <see cref="BaseVariant"/>), through the cache (<see cref="PretrainedBases"/>).
/// TOFU's and MUSE's entities are in neither corpus: those benchmarks fine-tune their facts into a target. A study with a
/// forget size of its own (more entities) gets a base whose corpus avoids those too: another corpus, another cached base,
/// when the lexicon has room for it (at the tiny preset it does not: such a study needs the random base).
/// Not: the training loop (<see cref="Pretrainer"/>).
/// </summary>
public static class PresetBase
{
    /// <summary>The cached base folder for the preset and data seed, trained first when absent.</summary>
    public static (string Folder, bool Trained) Ensure(ModelPreset preset, ulong dataSeed, PretrainOptions options, string cacheDir,
                                                       Action<StepRecord>? onStep = null, int? forgetSize = null,
                                                       BaseVariant variant = BaseVariant.Target)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-pretrain-").FullName;
        try
        {
            var initial = Path.Combine(scratch, "initial");
            PresetInitializer.Write(preset, dataSeed, initial);
            return PretrainedBases.Ensure(initial, Corpus(preset, dataSeed, options, forgetSize, variant), options, cacheDir, onStep);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Copies the cached base into <paramref name="outDir"/> (a path to create), training it first when absent.</summary>
    public static void Write(ModelPreset preset, ulong dataSeed, PretrainOptions options, string cacheDir, string outDir,
                             Action<StepRecord>? onStep = null, int? forgetSize = null, BaseVariant variant = BaseVariant.Target)
    {
        var (folder, _) = Ensure(preset, dataSeed, options, cacheDir, onStep, forgetSize, variant);
        Directory.CreateDirectory(outDir);
        foreach (var file in Directory.EnumerateFiles(folder))
            File.Copy(file, Path.Combine(outDir, Path.GetFileName(file)));
    }

    /// <summary>The corpus of the preset's base: general text about entities absent from its benchmarks, and WPU's
    /// people (<see cref="People"/>), each document <see cref="PretrainOptions.PeopleRepeats"/> times.</summary>
    public static PretrainingCorpus Corpus(ModelPreset preset, ulong dataSeed, PretrainOptions options, int? forgetSize = null,
                                           BaseVariant variant = BaseVariant.Target)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-avoid-").FullName;
        try
        {
            var benchmarks = Enum.GetValues<DatasetKind>()
                .Select(kind => SyntheticDatasets.Write(kind, ModelPresets.Data(preset), dataSeed, Path.Combine(scratch, kind.ToString()), forgetSize: forgetSize)).ToList();
            var keyFacts = benchmarks.SelectMany(b => b.Splits).SelectMany(s => s.Rows)
                .Select(r => r switch { QaItem q => q.KeyFact, PerturbedQaItem p => p.KeyFact, _ => null })
                .OfType<KeyFact>().Select(k => k.Text);
            var wpu = benchmarks.Single(b => b.Kind == DatasetKind.Wpu);
            return PretrainingCorpus.Generate(benchmarks.SelectMany(b => b.AllText()), keyFacts, options.Seed, options.Documents, options.HeldOut,
                KnownPerson.FromWpu(wpu, People(variant)), options.PeopleRepeats);
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

    /// The WPU splits whose people a variant's corpus holds: WPU asks a model to forget people it learnt in pretraining
    /// (Liu et al., EMNLP 2024), and its floor is the model that learnt the others but never those.
    public static IReadOnlyList<string> People(BaseVariant variant) => variant switch
    {
        BaseVariant.Target => ["forget", "hard_retain", "general_retain"],
        BaseVariant.Floor => ["hard_retain", "general_retain"],
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };
}
