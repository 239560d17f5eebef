using DurableUn.Data;
using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// <summary>
/// The suites on a model whose every prediction is known: uniform over the V words of the vocabulary
/// (<see cref="SmokeSetup.Uniform"/>). Every answer then has mean NLL ln V whatever its length, and greedy decoding
/// emits only padding, so each number below follows from V and the data's shape alone.
/// </summary>
public class SuitesOnUniformModelTests
{
    [Fact]
    public void Tofu_Numbers_Should_Follow_From_The_Vocabulary_Size()
    {
        // Given the TOFU smoke data and a uniform model over V tokens
        using var setup = new SmokeSetup(DatasetKind.Tofu).Uniform();
        var v = (double)setup.Model.Config.VocabSize;
        // When evaluated
        var r = TofuSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new TofuOptions());
        // Then forget/retain probability is P̄ = e^(−ln V) = 1/V for every answer
        Assert.Equal(1 / v, r["forget_prob"].Aggregate, 1e-7);
        Assert.Equal(1 / v, r["retain_prob"].Aggregate, 1e-7);
        // and real_authors/world_facts weigh the true answer against 3 equally likely wrong ones: 1/(1 + 3)
        Assert.Equal(0.25, r["real_authors_prob"].Aggregate, 1e-6);
        Assert.Equal(0.25, r["world_facts_prob"].Aggregate, 1e-6);
        // and every truth ratio is e^(ln V − ln V) = 1: closer_to_1 scores 1, true_better 1 − 1 = 0
        Assert.All(r["forget_truth_ratio"].PerExample, x => Assert.Equal(1.0, x, 1e-5));
        Assert.Equal(1.0, r["forget_truth_ratio"].Aggregate, 1e-5);
        Assert.Equal(0.0, r["retain_truth_ratio"].Aggregate, 1e-5);
        // and padding shares no word with any answer: ROUGE 0, hence a harmonic-mean utility of 0
        Assert.Equal(0.0, r["forget_rouge"].Aggregate);
        Assert.Equal(0.0, r["model_utility"].Aggregate, 1e-5);
        // and argmax (id 0, padding) is never the label: nothing memorised, nothing extractable
        Assert.Equal(0.0, r["exact_memorization"].Aggregate);
        Assert.Equal(0.0, r["extraction_strength"].Aggregate);
        // and the LOSS score of every forget and holdout answer is ln V
        Assert.All(r["mia_loss_auc"].PerExample, x => Assert.Equal(Math.Log(v), x, 1e-5));
    }

    [Fact]
    public void Muse_Numbers_Should_Follow_From_The_Vocabulary_Size()
    {
        using var setup = new SmokeSetup(DatasetKind.Muse).Uniform();
        var v = (double)setup.Model.Config.VocabSize;
        var r = MuseSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new MuseOptions());
        // Padding continuations and answers share no word with any reference
        Assert.Equal(0.0, r["verbmem_f"].Aggregate);
        Assert.Equal(0.0, r["knowmem_f"].Aggregate);
        Assert.Equal(0.0, r["knowmem_r"].Aggregate);
        // Min-40% of identical log-probs −ln V is ln V for every privleak text
        Assert.All(r["privleak_auc"].PerExample, x => Assert.Equal(Math.Log(v), x, 1e-5));
    }

    [Fact]
    public void Wpu_Numbers_Should_Follow_From_The_Vocabulary_Size()
    {
        using var setup = new SmokeSetup(DatasetKind.Wpu).Uniform();
        var v = (double)setup.Model.Config.VocabSize;
        var r = WpuSuite.Evaluate(setup.Model, setup.Encoder, setup.Data, new WpuOptions());
        Assert.Equal(1 / v, r["hard_retain_prob"].Aggregate, 1e-7);
        Assert.Equal(0.0, r["general_retain_rouge"].Aggregate);
        // utility = HM(1/V, 0, 1/V, 0) over the retain splits' prob and ROUGE: any zero makes it 0
        Assert.Equal(0.0, r["model_utility"].Aggregate);
    }
}
