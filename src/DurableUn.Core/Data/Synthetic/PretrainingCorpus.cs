using DurableUn.Randomness;

namespace DurableUn.Data.Synthetic;

/// <summary>
/// General text for pretraining a preset base: biographies, news articles, person pages and
/// question–answer pairs in the same fact kinds, templates and prose as the synthetic benchmarks, about other
/// entities, plus the documents of the <see cref="KnownPerson"/>s the base must know (WPU's people: a real model met
/// them in pretraining, docs/benchmarks.md#wpu). No generated subject and no generated fact value occurs anywhere in the
/// benchmarks' text (all three, at the same data size and seed), so apart from the known people a pretrained base has
/// learnt the language and the templates but not one forget or retain fact, and key-fact recall of a model that never
/// saw a forget set stays near 0. Each known person's documents are placed at seeded positions of their own, so the
/// corpus without some of them (the floor's, docs/benchmarks.md#wpu) is this corpus with exactly their documents taken out.
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
    /// <param name="people">People whose documents the corpus holds besides, each <paramref name="repeats"/> times
    /// (<see cref="PersonDocuments"/>); their text is taken as it is, and is not part of <paramref name="documents"/>.</param>
    public static PretrainingCorpus Generate(IEnumerable<string> benchmarkText, IEnumerable<string> keyFacts, ulong seed, int documents, int heldOut,
                                             IReadOnlyList<KnownPerson>? people = null, int repeats = 0)
    {
        if (documents < 1 || heldOut < 0) throw new ArgumentException($"documents must be ≥ 1 and held-out ≥ 0, got {documents} and {heldOut}");
        if (repeats < 0) throw new ArgumentException($"repeats must be ≥ 0, got {repeats}");
        var avoid = new Avoided(Phrases(benchmarkText), keyFacts.Select(Normalized).ToHashSet(StringComparer.Ordinal));
        var rng = SeededRng.For(seed, "pretraining");
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        var texts = Enumerable.Range(0, documents + heldOut).Select(i => Document(rng, avoid, subjects, i)).ToList();
        var known = (people ?? []).SelectMany(p => PersonDocuments(p, seed, repeats)
                .Select(d => (Text: d.Text, Position: SeededRng.For(seed, $"pretraining/known/{p.Name}/{d.Id}").Next(documents + 1), Person: p.Name, d.Id)))
            .ToList();
        return new PretrainingCorpus(Placed(texts[..documents], known), texts[documents..]);
    }

    /// <summary>
    /// A known person's documents, <paramref name="repeats"/> copies of each kind: the wikipage as it is; a biography
    /// (each fact as its answer sentence, in a seeded order of the copy's own, with filler between, as the corpus's
    /// biographies are written); and a page of the person's question–answer pairs in the benchmarks' plain template,
    /// as the corpus's QA pages are. Each has an id (kind and copy) that seeds its position.
    /// </summary>
    public static IEnumerable<(string Id, string Text)> PersonDocuments(KnownPerson person, ulong seed, int repeats)
    {
        var template = new PromptTemplate.Plain();
        for (var copy = 0; copy < repeats; copy++)
        {
            var rng = SeededRng.For(seed, $"pretraining/known/{person.Name}/{copy}");
            yield return ($"page/{copy}", person.Page);
            var sentences = new List<string>();
            foreach (var fact in rng.Shuffled(person.Facts))
            {
                sentences.Add(fact.Answer);
                if (rng.Next(3) == 0) sentences.Add(rng.Pick(Lexicon.Filler));
            }
            yield return ($"biography/{copy}", string.Join(" ", sentences));
            yield return ($"qa/{copy}", string.Join("\n\n", rng.Shuffled(person.Facts).Select(q => template.Full(q.Question, q.Answer))));
        }
    }

    /// The general documents with the known ones inserted before the general document at their position (ties in the
    /// order of person and id), so removing a person's documents leaves every other document where it was.
    private static List<string> Placed(IReadOnlyList<string> general, IEnumerable<(string Text, int Position, string Person, string Id)> known)
    {
        var byPosition = known.OrderBy(k => k.Position).ThenBy(k => k.Person, StringComparer.Ordinal).ThenBy(k => k.Id, StringComparer.Ordinal)
            .ToLookup(k => k.Position);
        var texts = new List<string>();
        for (var i = 0; i <= general.Count; i++)
        {
            texts.AddRange(byPosition[i].Select(k => k.Text));
            if (i < general.Count) texts.Add(general[i]);
        }
        return texts;
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
