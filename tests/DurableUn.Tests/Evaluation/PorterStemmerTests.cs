using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

/// Golden: Golden/porter_stems.json, from scripts/make_rouge_golden.py calling
/// nltk.stem.porter.PorterStemmer().stem(word) (nltk 3.8, NLTK_EXTENSIONS mode) on 310 words.
public class PorterStemmerTests
{
    [Fact]
    public void Stems_Should_Equal_Nltk_On_Every_Golden_Word()
    {
        // Given the words nltk stemmed
        var cases = Golden.Cases("porter_stems.json").EnumerateArray()
            .Select(c => (Word: c.GetProperty("word").GetString()!, Stem: c.GetProperty("stem").GetString()!))
            .ToList();
        // When we stem them
        var mismatches = cases.Where(c => PorterStemmer.Stem(c.Word) != c.Stem)
            .Select(c => $"{c.Word}: nltk {c.Stem}, ours {PorterStemmer.Stem(c.Word)}")
            .ToList();
        // Then none differs
        Assert.True(cases.Count >= 200);
        Assert.Empty(mismatches);
    }

    [Theory]
    // Porter (1980)'s own examples, one per step.
    [InlineData("caresses", "caress")]    // 1a: sses → ss
    [InlineData("ponies", "poni")]        // 1a: ies → i
    [InlineData("plastered", "plaster")]  // 1b: (*v*) ed →
    [InlineData("hopping", "hop")]        // 1b: *d and not l/s/z → single letter
    [InlineData("filing", "file")]        // 1b: m = 1 and *o → add e
    [InlineData("happy", "happi")]        // 1c: y → i
    [InlineData("relational", "relat")]   // 2: ational → ate, then 4: (m > 1) ate →
    [InlineData("hopeful", "hope")]       // 3: ful →
    [InlineData("adjustment", "adjust")]  // 4: ment →
    [InlineData("controll", "control")]   // 5b: ll → l when m > 1
    // NLTK's extensions that rouge_score inherits.
    [InlineData("dying", "die")]          // irregular-forms table
    [InlineData("dies", "die")]           // 4-letter -ies keeps ie
    [InlineData("enjoy", "enjoy")]        // y after a vowel stays
    [InlineData("is", "is")]              // words of ≤ 2 letters are left alone
    public void Stem_Should_Follow_The_Rule_Shown(string word, string stem)
    {
        // Given a word whose rule is named beside it
        // When it is stemmed
        // Then it loses exactly that suffix
        Assert.Equal(stem, PorterStemmer.Stem(word));
    }
}
