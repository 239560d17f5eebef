using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Model;
using DurableUn.Tests.Model;
using static TorchSharp.torch;

namespace DurableUn.Tests.Evaluation;

/// The answer probability and ROUGE-L that every precision records beside the headline metric.
public class PrecisionEvaluationTests(MemorizedModelFixture f) : IClassFixture<MemorizedModelFixture>
{
    [Fact]
    public void The_Answer_Probability_Is_Each_Item_s_Exp_Mean_Log_Probability_Computed_One_Item_At_A_Time()
    {
        // Given the memorised model and its seen and unseen items (forget and retain)
        // When measured (one batched teacher-forced pass over both lists)
        var measured = PrecisionEvaluation.Measure(f.Model, Precision.Bf16, AccuracyMetric.KeyFact, f.Encoder, f.Seen, f.Unseen);
        // Then each item's value is exp(mean log p) of its answer tokens and EOS, from a forward pass of that item alone
        AssertClose(Direct(f.Model, f.Seen), measured.ForgetProbability.PerExample);
        AssertClose(Direct(f.Model, f.Unseen), measured.RetainProbability.PerExample);
        Assert.Equal(measured.ForgetProbability.PerExample.Average(), measured.ForgetProbability.Aggregate, 12);
        // and the memorised answers are far likelier than the unseen ones
        Assert.True(measured.ForgetProbability.Aggregate > measured.RetainProbability.Aggregate);
    }

    [Fact]
    public void Rouge_Recall_Of_The_Greedy_Answer_Is_One_On_Memorised_Answers()
    {
        var measured = PrecisionEvaluation.Measure(f.Model, Precision.Bf16, AccuracyMetric.KeyFact, f.Encoder, f.Seen, f.Unseen);
        Assert.All(measured.ForgetRouge.PerExample, r => Assert.Equal(1.0, r, 9));
        Assert.True(measured.RetainRouge.Aggregate < 1.0);
    }

    [Fact]
    public void Every_Precision_Records_The_Probability_Of_Its_Own_Deployed_Model()
    {
        // Given a QLoRA model (NF4 base + a non-zero adapter) over the fixture's vocabulary
        var config = ModelFixtures.Tiny() with { VocabSize = f.Tokenizer.VocabSize };
        manual_seed(4);
        Dictionary<string, Tensor> weights;
        using (var dense = new CausalLm(config, new DenseProjections())) weights = ModelWeights.StateDict(dense);
        using var qlora = QLoraModel.FromWeights(config, weights, new QLoraOptions(), seed: 1);
        using (no_grad())
        using (var generator = new Generator(7))
            foreach (var w in qlora.Adapter.Layers.Values) w.B.copy_(randn(w.B.shape, generator: generator) * 0.05f);
        Precision[] precisions = [Precision.Bf16, Precision.Int4, Precision.Nf4];
        // When measured at three precisions
        var measured = PrecisionEvaluation.Measure(qlora, precisions, AccuracyMetric.KeyFact, f.Encoder, f.Seen, f.Unseen);
        // Then each precision's per-item probability is the direct computation on that precision's deployed model
        foreach (var (precision, m) in precisions.Zip(measured))
        {
            using var deployed = Deployer.Deploy(qlora, precision);
            AssertClose(Direct(deployed.Model, f.Seen), m.ForgetProbability.PerExample);
            AssertClose(Direct(deployed.Model, f.Unseen), m.RetainProbability.PerExample);
        }
        // and INT4's rounding of the adapter moves them (the test reads each deployment, not one model three times)
        Assert.NotEqual(measured[0].ForgetProbability.PerExample, measured[1].ForgetProbability.PerExample);
    }

    /// exp of the mean log-probability of each answer's completion tokens (answer + EOS), one unpadded item at a time.
    private List<double> Direct(CausalLm model, IReadOnlyList<QaItem> items)
    {
        using var _ = no_grad();
        return items.Select(item =>
        {
            using var scope = NewDisposeScope();
            var encoded = f.Encoder.Encode(item.Question, item.Answer);
            int[] ids = [.. encoded.PromptIds, .. encoded.CompletionIds];
            var logp = model.forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0))[0].to_type(ScalarType.Float32).log_softmax(-1);  // (T, V)
            var sum = 0.0;
            for (var j = 0; j < encoded.CompletionIds.Length; j++)
                sum += logp[encoded.PromptIds.Length - 1 + j, encoded.CompletionIds[j]].item<float>();
            return Math.Exp(sum / encoded.CompletionIds.Length);
        }).ToList();
    }

    // Relative 1e-5: float32 logits of a padded batch against an unpadded single pass differ in the last bits only.
    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * expected[i], $"item {i}: {actual[i]} vs direct {expected[i]}");
    }
}
