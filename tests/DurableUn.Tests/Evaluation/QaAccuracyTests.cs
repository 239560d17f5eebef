using DurableUn.Data.Tokenized;
using DurableUn.Evaluation;
using DurableUn.Training;
using static TorchSharp.torch;

namespace DurableUn.Tests.Evaluation;

public class QaAccuracyTests(MemorizedModelFixture f) : IClassFixture<MemorizedModelFixture>
{
    [Theory]
    [InlineData(AccuracyMetric.TokenAccuracy)]
    [InlineData(AccuracyMetric.RougeRecall)]
    [InlineData(AccuracyMetric.ExactMatch)]
    [InlineData(AccuracyMetric.KeyFact)]
    public void A_Model_That_Memorised_Its_Data_Scores_One_On_It_And_Less_On_Unseen_Data(AccuracyMetric metric)
    {
        var seen = QaAccuracy.Measure(f.Model, f.Encoder, f.Seen, metric);
        var unseen = QaAccuracy.Measure(f.Model, f.Encoder, f.Unseen, metric);
        Assert.Equal(1.0, seen.Aggregate, 6);
        Assert.Equal(4, seen.PerExample.Count);
        Assert.True(unseen.Aggregate < 1.0, $"{metric} on unseen data was {unseen.Aggregate}");
    }

    [Theory]
    [InlineData(AccuracyMetric.TokenAccuracy)]
    [InlineData(AccuracyMetric.KeyFact)]
    public void Measuring_Two_Lists_In_One_Pass_Gives_Each_List_What_It_Gets_Alone(AccuracyMetric metric)
    {
        // Given the seen and the unseen items measured apart
        var seen = QaAccuracy.Measure(f.Model, f.Encoder, f.Seen, metric);
        var unseen = QaAccuracy.Measure(f.Model, f.Encoder, f.Unseen, metric);
        // When both lists go through one pass (one pooled decode, or one teacher-forced pass)
        var pooled = QaAccuracy.Measure(f.Model, f.Encoder, [f.Seen, f.Unseen], metric);
        // Then each list's scores are the ones it got alone, item by item
        Assert.Equal(seen.PerExample, pooled[0].PerExample);
        Assert.Equal(unseen.PerExample, pooled[1].PerExample);
        Assert.Equal(seen.Aggregate, pooled[0].Aggregate);
    }

    [Fact]
    public void Token_Scores_Agree_With_The_Training_Loss_And_Exclude_The_Prompt()
    {
        // Given the encoded examples
        var examples = f.Seen.Concat(f.Unseen).Select(i => f.Encoder.Encode(i.Question, i.Answer)).ToList();
        // When scored one by one in a padded batch
        var scores = TokenScores.Of(f.Model, examples, f.Tokenizer.PadId, batchSize: 3);
        // Then each has one log-prob per completion token, and their sum is minus the sequence NLL
        using var batch = TokenBatch.RightPadded(examples, f.Tokenizer.PadId);
        using var _ = no_grad();
        var sums = TokenLosses.Of(f.Model, batch).SequenceSum().data<float>().ToArray();
        for (var i = 0; i < examples.Count; i++)
        {
            Assert.Equal(examples[i].CompletionIds.Length, scores[i].LogProbs.Length);
            Assert.Equal(-sums[i], scores[i].LogProbs.Sum(), 3);
        }
    }

    [Fact]
    public void Unknown_Metric_Names_List_The_Known_Ones()
    {
        var e = Assert.Throws<ArgumentException>(() => AccuracyMetrics.Parse("accuracy"));
        Assert.Contains("token_accuracy", e.Message);
        Assert.Equal(AccuracyMetric.KeyFact, AccuracyMetrics.Parse("key_fact"));
    }
}
