using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Presets;
using DurableUn.Pretraining;
using Xunit.Abstractions;

namespace DurableUn.Tests.Pretraining;

/// <summary>A smoke preset pretrained once for a few steps (small rows and batches, so the class runs in seconds).</summary>
public sealed class PretrainedSmokeFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("durableun-pretrain-test-").FullName;
    public string Initial => Path.Combine(Root, "initial");
    public string Cache => Path.Combine(Root, "cache");
    public PretrainOptions Options { get; } = new() { Steps = 60, BatchSize = 8, RowLength = 64, Documents = 300, HeldOut = 40 };
    public PretrainingCorpus Corpus { get; }
    public string Base { get; }
    public int StepsRun { get; }

    public PretrainedSmokeFixture()
    {
        DurableUn.Tensors.NativeTorch.EnsureLoaded();
        PresetInitializer.Write(ModelPreset.Smoke, 0, Initial);
        Corpus = PresetBase.Corpus(ModelPreset.Smoke, 0, Options);
        var steps = 0;
        (Base, _) = PretrainedBases.Ensure(Initial, Corpus, Options, Cache, _ => steps++);
        StepsRun = steps;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class PretrainingTests(PretrainedSmokeFixture f, ITestOutputHelper output) : IClassFixture<PretrainedSmokeFixture>
{
    [Fact]
    public void A_cache_miss_trains_every_step_and_a_cache_hit_trains_none()
    {
        Assert.Equal(f.Options.Steps, f.StepsRun);
        var steps = 0;
        var (folder, trained) = PretrainedBases.Ensure(f.Initial, f.Corpus, f.Options, f.Cache, _ => steps++);
        Assert.False(trained);
        Assert.Equal(0, steps);
        Assert.Equal(f.Base, folder);
    }

    [Fact]
    public void The_same_folder_corpus_and_options_give_byte_identical_weights()
    {
        var again = Path.Combine(f.Root, "again");
        Pretrainer.Train(f.Initial, f.Corpus, f.Options, again);
        Assert.Equal(File.ReadAllBytes(Path.Combine(f.Base, ModelFolder.SingleWeightsFile)),
                     File.ReadAllBytes(Path.Combine(again, ModelFolder.SingleWeightsFile)));
    }

    [Fact]
    public void Other_options_are_another_cache_key()
    {
        Assert.NotEqual(PretrainedBases.Key(f.Initial, f.Corpus, f.Options),
                        PretrainedBases.Key(f.Initial, f.Corpus, f.Options with { Steps = 61 }));
    }

    [Fact]
    public void Held_out_general_text_is_likelier_under_the_pretrained_base_than_under_a_unigram_model_of_its_corpus()
    {
        using var model = PretrainedModel.Load(f.Base);
        var pretrained = Perplexity.Of(model.Model, model.Tokenizer, f.Corpus.HeldOut, f.Options.RowLength);
        var unigram = Perplexity.Unigram(model.Tokenizer, f.Corpus.Texts, f.Corpus.HeldOut, f.Options.RowLength, model.Tokenizer.VocabSize);
        output.WriteLine($"held-out perplexity: pretrained {pretrained:F1}, unigram {unigram:F1}");
        Assert.True(pretrained < unigram, $"pretrained perplexity {pretrained:F1} should be below the unigram model's {unigram:F1}");
    }

    [Fact]
    public void The_corpus_states_no_key_fact_of_the_benchmark_as_a_word_or_phrase()
    {
        var tofu = SyntheticDatasets.Write(DurableUn.Data.DatasetKind.Tofu, DataPreset.Smoke, 0, Path.Combine(f.Root, "tofu"));
        var corpus = string.Join("\n", f.Corpus.Texts.Concat(f.Corpus.HeldOut));
        var facts = tofu.Qa("forget10").Concat(tofu.Qa("retain90")).Select(i => i.KeyFact!.Text).ToList();
        Assert.NotEmpty(facts);
        foreach (var fact in facts)
            Assert.DoesNotMatch($@"(?i)\b{System.Text.RegularExpressions.Regex.Escape(fact)}\b", corpus);
    }
}
