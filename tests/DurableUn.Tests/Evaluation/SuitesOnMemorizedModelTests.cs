using DurableUn.Data;
using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// TOFU's suite on a model that memorised four QA pairs (forget) and never saw two (holdout, and the utility splits).
public class SuitesOnMemorizedModelTests(MemorizedModelFixture f) : IClassFixture<MemorizedModelFixture>
{
    // Paraphrase = the answer itself; wrong options = the answers to the other questions of the same set.
    private static PerturbedQaItem[] Perturbed(IReadOnlyList<QaItem> items) =>
        [.. items.Select(i => new PerturbedQaItem(i.Question, i.Answer, i.Answer, items.Where(o => o != i).Select(o => o.Answer).ToList()))];

    private TofuSplits Splits => new(Perturbed(f.Seen), Perturbed(f.Unseen), Perturbed(f.Unseen), Perturbed(f.Unseen), f.Unseen);

    [Fact]
    public void A_Memorising_Model_Should_Be_Likely_Exact_And_Identifiable_On_Its_Seen_Items()
    {
        // When the memorising model is evaluated with its seen items as the forget set
        var result = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions());
        // Then it reproduces them: high probability, perfect ROUGE recall, every answer token right
        Assert.True(result["forget_prob"].Aggregate > 0.8, $"forget_prob {result["forget_prob"].Aggregate}");
        Assert.True(result["forget_prob"].Aggregate > result["retain_prob"].Aggregate);
        Assert.Equal(1.0, result["forget_rouge"].Aggregate, 6);
        Assert.Equal(1.0, result["exact_memorization"].Aggregate, 6);
        Assert.Equal(4, result["forget_rouge"].PerExample.Count);
        // and its true answers beat the wrong ones by far: R ≪ 1, so closer_to_1 is near 0
        Assert.All(result["forget_truth_ratio"].PerExample, r => Assert.True(r < 0.5, $"R = {r}"));
        // and a membership attack tells seen from unseen answers
        Assert.True(result["mia_loss_auc"].Aggregate > 0.5, $"LOSS AUC {result["mia_loss_auc"].Aggregate}");
        Assert.Equal(6, result["mia_loss_auc"].PerExample.Count);           // 4 members then 2 non-members
        // and without the retain model's ratios forget quality is absent, not made up
        Assert.False(result.Has("forget_quality"));
        Assert.Contains("forget_quality", result.Absent.Keys);
    }

    [Fact]
    public void Forget_Quality_Should_Be_One_Against_The_Same_Ratios_And_Small_Against_Disjoint_Ones()
    {
        // Given the model's own forget truth ratios as the "retain model's"
        var own = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions())["forget_truth_ratio"].PerExample;
        // When evaluated against them, and against 4 ratios all above every one of its own
        var same = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions(), own);
        var apart = TofuSuite.Evaluate(f.Model, f.Encoder, Splits, new TofuOptions(), [10.0, 11.0, 12.0, 13.0]);
        // Then identical samples give p = 1, and fully separated 4-vs-4 samples p = 2/C(8,4) = 1/35
        Assert.Equal(1.0, same["forget_quality"].Aggregate, 12);
        Assert.Equal(1.0 / 35, apart["forget_quality"].Aggregate, 12);
    }

    [Fact]
    public void Length_Sorted_Batches_Should_Give_The_Same_Scores_And_Answers_In_Input_Order()
    {
        // Given questions of different lengths, in an order that length sorting changes
        var items = f.Unseen.Concat(f.Seen).ToList();
        var examples = items.Select(i => f.Encoder.Encode(i.Question, i.Answer)).ToList();
        // When scored and decoded through the suites' sorted batches (2 per batch) and through the plain paths
        var sorted = SuiteScoring.Score(f.Model, examples, f.Tokenizer.PadId, batchSize: 2);
        var plain = TokenScores.Of(f.Model, examples, f.Tokenizer.PadId);
        var pooled = SuiteScoring.GreedyAnswers(f.Model, f.Encoder,
            [f.Unseen.Select(i => i.Question).ToList(), f.Seen.Select(i => i.Question).ToList()], maxNewTokens: 12, batchSize: 2);
        // Then example i gets the same numbers and split s its own answers, in order
        for (var i = 0; i < examples.Count; i++)
            Assert.Equal(plain[i].LogProbs, sorted[i].LogProbs, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(QaAccuracy.GreedyAnswers(f.Model, f.Encoder, f.Unseen.Select(i => i.Question).ToList(), 12).Select(a => a.Trim()),
            pooled[0].Select(a => a.Trim()));
        Assert.Equal(f.Seen.Select(i => i.Answer), pooled[1].Select(a => a.Trim()));
    }

    [Fact]
    public void Over_Long_Text_Should_Keep_Bos_And_The_End_Of_A_Prompt_Or_The_Start_Of_A_Text()
    {
        // Given a 7-token sentence (Ada, Vell, was, born, in, Qarston, .) and a budget of 4 tokens with BOS
        const string text = "Ada Vell was born in Qarston.";
        // When encoded as a prompt (keep the end) and as a text to score (keep the start)
        var prompt = SuiteScoring.EncodeText(f.Tokenizer, text, 4, keepEnd: true);
        var scored = SuiteScoring.EncodeText(f.Tokenizer, text, 4, keepEnd: false);
        // Then both start with BOS and keep 3 words from their end
        Assert.Equal(f.Tokenizer.BosId, prompt[0]);
        Assert.Equal("in Qarston.", f.Tokenizer.Decode(prompt[1..]));
        Assert.Equal(f.Tokenizer.BosId, scored[0]);
        Assert.Equal("Ada Vell was", f.Tokenizer.Decode(scored[1..]));
    }
}
