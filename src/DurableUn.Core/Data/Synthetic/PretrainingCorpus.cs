using DurableUn.Randomness;

namespace DurableUn.Data.Synthetic;

/// <summary>
/// General text for pretraining a preset base: biographies, news articles, person pages and
/// question–answer pairs in the same fact kinds, templates and prose as the synthetic benchmarks, about other
/// entities. No subject and no fact value of the corpus occurs anywhere in the benchmarks' text (all three, at the
/// same data size and seed), so a pretrained base has learnt the language and the templates but not one forget or
/// retain fact, and key-fact recall of a model that never saw the forget set stays near 0.
/// <see cref="HeldOut"/> is more of the same text about yet other entities, for measuring perplexity.
/// Not: the benchmarks themselves (SyntheticDatasets), or tokenization and packing (the pretrainer).
/// </summary>
public sealed record PretrainingCorpus(IReadOnlyList<string> Texts, IReadOnlyList<string> HeldOut)
{
    // Bounded retries: a corpus larger than the lexicon allows fails loudly instead of looping.
    private const int MaxAttempts = 10_000;

    /// <param name="benchmarkText">All text of the benchmarks whose entities the corpus must avoid: no drawn subject or
    /// value occurs in it as a phrase.</param>
    /// <param name="keyFacts">The benchmarks' key facts: none occurs inside a drawn subject or value either (a project
    /// named after a benchmark's book title would otherwise state the title).</param>
    /// <param name="documents">Training documents; <paramref name="heldOut"/> more are drawn for <see cref="HeldOut"/>.</param>
    public static PretrainingCorpus Generate(IEnumerable<string> benchmarkText, IEnumerable<string> keyFacts, ulong seed, int documents, int heldOut)
    {
        if (documents < 1 || heldOut < 0) throw new ArgumentException($"documents must be ≥ 1 and held-out ≥ 0, got {documents} and {heldOut}");
        var avoid = new Avoided(Phrases(benchmarkText), keyFacts.Select(Normalized).ToHashSet(StringComparer.Ordinal));
        var rng = SeededRng.For(seed, "pretraining");
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        var texts = Enumerable.Range(0, documents + heldOut).Select(i => Document(rng, avoid, subjects, i)).ToList();
        return new PretrainingCorpus(texts[..documents], texts[documents..]);
    }

    /// One document, its kind in turn: a biography, a news article, a person page, or a page of QA pairs.
    private static string Document(SeededRng rng, Avoided avoid, HashSet<string> subjects, int index) => (index % 4) switch
    {
        0 => Prose(rng, Facts(rng, avoid, subjects, ValueShape.PersonName, FactCatalog.Author)),
        1 => Prose(rng, Facts(rng, avoid, subjects, ValueShape.Project, FactCatalog.Article)),
        2 => Prose(rng, Facts(rng, avoid, subjects, ValueShape.PersonName, FactCatalog.Person)),
        _ => QaPage(rng, avoid, subjects),
    };

    private static List<Fact> Facts(SeededRng rng, Avoided avoid, HashSet<string> subjects, ValueShape subjectShape, IReadOnlyList<FactTemplate> templates)
    {
        var subject = Draw(rng, avoid, subjectShape, subjects);
        var count = templates.Count / 2 + rng.Next(templates.Count / 2 + 1); // half to all facts, as difficulty varies
        return rng.Shuffled(templates).Take(count).Select(t => new Fact(t, subject, Value(rng, avoid, t.Shape))).ToList();
    }

    /// Facts as sentences: the answer form or the paraphrase, with filler between, as articles and pages are written.
    private static string Prose(SeededRng rng, List<Fact> facts)
    {
        var sentences = new List<string>();
        foreach (var f in facts)
        {
            sentences.Add(rng.Next(2) == 0 ? f.ToQa().Answer : Lexicon.Capitalize(f.Statement));
            if (rng.Next(3) == 0) sentences.Add(rng.Pick(Lexicon.Filler));
        }
        return string.Join(" ", sentences);
    }

    /// Question–answer pairs in the benchmarks' plain template, including the real-author and capital kinds.
    private static string QaPage(SeededRng rng, Avoided avoid, HashSet<string> subjects)
    {
        var template = new PromptTemplate.Plain();
        var facts = Facts(rng, avoid, subjects, ValueShape.PersonName, rng.Next(2) == 0 ? FactCatalog.Author : FactCatalog.Person);
        facts.Add(new Fact(FactCatalog.WrittenBy, Draw(rng, avoid, ValueShape.Title, subjects), Value(rng, avoid, ValueShape.PersonName)));
        facts.Add(new Fact(FactCatalog.Capital, Draw(rng, avoid, ValueShape.Place, subjects), Value(rng, avoid, ValueShape.Place)));
        return string.Join("\n\n", facts.Select(f => f.ToQa()).Select(q => template.Full(q.Question, q.Answer)));
    }

    /// A subject used by no other document of the corpus and absent from the benchmarks.
    private static string Draw(SeededRng rng, Avoided avoid, ValueShape shape, HashSet<string> taken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var text = Value(rng, avoid, shape).Text;
            if (taken.Add(text)) return text;
        }
        throw new InvalidOperationException($"ran out of fresh {shape.Name} subjects for the pretraining corpus");
    }

    /// A value absent from the benchmarks' text (values may repeat inside the corpus, as common words do).
    private static FactValue Value(SeededRng rng, Avoided avoid, ValueShape shape)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var parts = shape.Parts.Select(p => p(rng)).ToArray();
            var text = shape.Render(parts);
            if (avoid.Allows(text)) return new FactValue(text, parts, shape);
        }
        throw new InvalidOperationException($"every drawn {shape.Name} occurs in the benchmarks; the lexicon is too small");
    }

    /// Benchmark phrases a value may not be, and key facts a value may not contain.
    private sealed record Avoided(HashSet<string> Phrases, HashSet<string> KeyFacts)
    {
        public bool Allows(string value)
        {
            var words = Words(value);
            if (Phrases.Contains(string.Join(' ', words))) return false;
            for (var i = 0; i < words.Length; i++)
                for (var n = 1; i + n <= words.Length; n++)
                    if (KeyFacts.Contains(string.Join(' ', words, i, n))) return false;
            return true;
        }
    }

    // Longest value in words ("gothic science fiction about the sea" is 6); longer phrases need no index.
    private const int MaxPhraseWords = 8;

    /// Every run of 1–8 words of the text, lower-cased, punctuation dropped: a value "occurs" in the benchmarks when
    /// its words appear there in a row, whatever the case or punctuation around them.
    private static HashSet<string> Phrases(IEnumerable<string> texts)
    {
        var phrases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var words = Words(text);
            for (var i = 0; i < words.Length; i++)
                for (var n = 1; n <= MaxPhraseWords && i + n <= words.Length; n++)
                    phrases.Add(string.Join(' ', words, i, n));
        }
        return phrases;
    }

    private static string Normalized(string text) => string.Join(' ', Words(text));

    private static string[] Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        var lower = text.ToLowerInvariant();
        for (var i = 0; i <= lower.Length; i++)
        {
            var inWord = i < lower.Length && (char.IsLetterOrDigit(lower[i]) || lower[i] == '-');
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0) { words.Add(lower[start..i]); start = -1; }
        }
        return words.ToArray();
    }
}
