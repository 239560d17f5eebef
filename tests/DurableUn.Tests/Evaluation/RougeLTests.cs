using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// Golden: Golden/rouge_l.json from scripts/make_rouge_golden.py, which restates rouge_score's
/// tokenize.py and _score_lcs with nltk's PorterStemmer (nltk 3.8), stemmer on and off.
public class RougeLTests
{
    [Fact]
    public void Tokens_And_Scores_Should_Equal_Rouge_Score_On_Golden_Pairs()
    {
        foreach (var c in Golden.Cases("rouge_l.json").EnumerateArray())
        {
            // Given a target/prediction pair and the tokens and scores rouge_score gave
            var target = c.GetProperty("target").GetString()!;
            var prediction = c.GetProperty("prediction").GetString()!;
            var stem = c.GetProperty("use_stemmer").GetBoolean();
            // When we tokenize and score it
            var score = RougeL.Score(target, prediction, stem);
            // Then tokens match exactly and scores to the last bits (same divisions in the same order)
            Assert.Equal(c.GetProperty("target_tokens").EnumerateArray().Select(t => t.GetString()), RougeL.Tokenize(target, stem));
            Assert.Equal(c.GetProperty("prediction_tokens").EnumerateArray().Select(t => t.GetString()), RougeL.Tokenize(prediction, stem));
            Assert.Equal(c.GetProperty("precision").GetDouble(), score.Precision, 1e-15);
            Assert.Equal(c.GetProperty("recall").GetDouble(), score.Recall, 1e-15);
            Assert.Equal(c.GetProperty("fmeasure").GetDouble(), score.FMeasure, 1e-15);
        }
    }

    [Fact]
    public void Lcs_Should_Skip_Tokens_Out_Of_Order()
    {
        // Given reference "the cat sat on the mat" (6 tokens) and generation "the mat sat on a cat" (6)
        // When we take the LCS: "the … sat on … " keeps order; "the sat on" is 3, and no 4-token
        // subsequence exists because "mat" and "cat" swap places around "sat on".
        var score = RougeL.Score("the cat sat on the mat", "the mat sat on a cat", useStemmer: false);
        // Then precision = recall = 3/6 and F1 = 2·½·½/(½+½) = ½
        Assert.Equal(0.5, score.Precision);
        Assert.Equal(0.5, score.Recall);
        Assert.Equal(0.5, score.FMeasure);
    }

    [Fact]
    public void Recall_Should_Count_Stemmed_Matches_When_The_Stemmer_Is_On()
    {
        // Given "authors published novels" against "the author publishes a novel"
        // When stemmed: author publish novel | the author publish a novel → LCS 3
        var stemmed = RougeL.Score("authors published novels", "the author publishes a novel", useStemmer: true);
        var plain = RougeL.Score("authors published novels", "the author publishes a novel", useStemmer: false);
        // Then recall is 3/3 with stemming and 0/3 without
        Assert.Equal(1.0, stemmed.Recall);
        Assert.Equal(0.6, stemmed.Precision, 1e-15);
        Assert.Equal(0.0, plain.Recall);
    }

    [Fact]
    public void Evaluate_Should_Average_Recall_And_Keep_Per_Example_Values()
    {
        // Given two pairs: an exact answer (recall 1) and a refusal sharing no token (recall 0)
        var result = RougeL.Evaluate(
            ["Santiago, Chile", "a chef and a journalist"], ["santiago chile", "I don't know"],
            RougeMeasure.Recall, useStemmer: true);
        // Then the aggregate is their mean and the per-example list keeps input order
        Assert.Equal("rougeL_recall", result.Name);
        Assert.Equal(0.5, result.Aggregate);
        Assert.Equal([1.0, 0.0], result.PerExample);
    }
}
