namespace DurableUn.Evaluation;

/// <summary>
/// Porter (1980) "An algorithm for suffix stripping", exactly as nltk's
/// <c>nltk.stem.porter.PorterStemmer</c> in its default NLTK_EXTENSIONS mode, because that is the
/// stemmer google-research rouge_score builds with <c>use_stemmer=True</c> (rouge/rouge_scorer.py:
/// <c>porter.PorterStemmer()</c>). The NLTK extensions over the paper are kept and marked [nltk]:
/// the irregular-forms table, words of ≤ 2 letters left alone, "ies"/"ied" on 4-letter words,
/// y→i only after a consonant, "alli" first, "fulli" and "logi", and *o true for a 2-letter vc stem.
/// Golden: Golden/porter_stems.json from scripts/make_rouge_golden.py (nltk 3.8).
/// Not: the ORIGINAL_ALGORITHM or MARTIN_EXTENSIONS modes; not: upper case or non-ASCII input
/// (rouge's tokenizer hands over only [a-z0-9]+ tokens).
/// </summary>
public static class PorterStemmer
{
    // [nltk] Forms Porter's vocabulary got wrong over 20 years; they bypass the rules.
    private static readonly Dictionary<string, string> Irregular = new()
    {
        ["sky"] = "sky", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["news"] = "news", ["innings"] = "inning", ["inning"] = "inning", ["outings"] = "outing",
        ["outing"] = "outing", ["cannings"] = "canning", ["canning"] = "canning", ["howe"] = "howe",
        ["proceed"] = "proceed", ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    /// <summary>A rule: if the word ends with Suffix and Condition(stem) holds, the suffix becomes Replacement.</summary>
    private sealed record Rule(string Suffix, string Replacement, Func<string, bool>? Condition);

    public static string Stem(string word)
    {
        if (Irregular.TryGetValue(word, out var irregular)) return irregular;
        if (word.Length <= 2) return word;                                     // [nltk]
        var w = Step1A(word);
        w = Step1B(w);
        w = Step1C(w);
        w = Step2(w);
        w = Step3(w);
        w = Step4(w);
        w = Step5A(w);
        return Step5B(w);
    }

    // A consonant is a letter other than a, e, i, o, u, and other than y preceded by a consonant.
    private static bool IsConsonant(string w, int i) => w[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(w, i - 1),
        _ => true,
    };

    /// m in [C](VC){m}[V]: the number of vowel→consonant transitions.
    private static int Measure(string stem)
    {
        var m = 0;
        for (var i = 1; i < stem.Length; i++)
            if (!IsConsonant(stem, i - 1) && IsConsonant(stem, i)) m++;
        return m;
    }

    private static bool PositiveMeasure(string stem) => Measure(stem) > 0;
    private static bool MeasureAboveOne(string stem) => Measure(stem) > 1;

    private static bool ContainsVowel(string stem)
    {
        for (var i = 0; i < stem.Length; i++)
            if (!IsConsonant(stem, i)) return true;
        return false;
    }

    // *d: ends with a double consonant.
    private static bool EndsDoubleConsonant(string w) =>
        w.Length >= 2 && w[^1] == w[^2] && IsConsonant(w, w.Length - 1);

    // *o: ends consonant-vowel-consonant, the last not w, x or y; [nltk] also a 2-letter vowel-consonant word.
    private static bool EndsCvc(string w) =>
        (w.Length >= 3 && IsConsonant(w, w.Length - 3) && !IsConsonant(w, w.Length - 2)
         && IsConsonant(w, w.Length - 1) && w[^1] is not ('w' or 'x' or 'y'))
        || (w.Length == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1));

    /// The first rule whose suffix matches decides: it applies if its condition holds, else the word stays.
    private static string ApplyFirst(string w, IEnumerable<Rule> rules)
    {
        foreach (var rule in rules)
        {
            if (!w.EndsWith(rule.Suffix, StringComparison.Ordinal)) continue;
            var stem = w[..^rule.Suffix.Length];
            return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : w;
        }
        return w;
    }

    // sses→ss, ies→i, ss→ss, s→ ; [nltk] a 4-letter "-ies" keeps "ie" (dies→die, flies→fli).
    private static string Step1A(string w)
    {
        if (w.Length == 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "ie";
        return ApplyFirst(w, [new("sses", "ss", null), new("ies", "i", null), new("ss", "ss", null), new("s", "", null)]);
    }

    // (m>0) eed→ee; (*v*) ed→ ; (*v*) ing→ ; then tidy the stem (at→ate, hopp→hop, fil→file).
    private static string Step1B(string w)
    {
        if (w.EndsWith("ied", StringComparison.Ordinal))                     // [nltk] spied→spi, died→die
            return w[..^3] + (w.Length == 4 ? "ie" : "i");
        if (w.EndsWith("eed", StringComparison.Ordinal))
            return PositiveMeasure(w[..^3]) ? w[..^1] : w;

        string? stem = null;
        foreach (var suffix in new[] { "ed", "ing" })
            if (w.EndsWith(suffix, StringComparison.Ordinal) && ContainsVowel(w[..^suffix.Length]))
            {
                stem = w[..^suffix.Length];
                break;
            }
        if (stem is null) return w;

        foreach (var (suffix, replacement) in new[] { ("at", "ate"), ("bl", "ble"), ("iz", "ize") })
            if (stem.EndsWith(suffix, StringComparison.Ordinal)) return stem[..^2] + replacement;
        if (EndsDoubleConsonant(stem))
            return stem[^1] is 'l' or 's' or 'z' ? stem : stem[..^1];
        return Measure(stem) == 1 && EndsCvc(stem) ? stem + "e" : stem;
    }

    // y→i; [nltk] only when y follows a consonant that is not the first letter (happy→happi, enjoy stays).
    private static string Step1C(string w) =>
        ApplyFirst(w, [new("y", "i", stem => stem.Length > 1 && IsConsonant(stem, stem.Length - 1))]);

    private static readonly Rule[] Step2Rules =
    [
        new("ational", "ate", PositiveMeasure), new("tional", "tion", PositiveMeasure),
        new("enci", "ence", PositiveMeasure), new("anci", "ance", PositiveMeasure),
        new("izer", "ize", PositiveMeasure),
        new("bli", "ble", PositiveMeasure),                                   // [nltk] the paper has abli→able
        new("alli", "al", PositiveMeasure), new("entli", "ent", PositiveMeasure),
        new("eli", "e", PositiveMeasure), new("ousli", "ous", PositiveMeasure),
        new("ization", "ize", PositiveMeasure), new("ation", "ate", PositiveMeasure),
        new("ator", "ate", PositiveMeasure), new("alism", "al", PositiveMeasure),
        new("iveness", "ive", PositiveMeasure), new("fulness", "ful", PositiveMeasure),
        new("ousness", "ous", PositiveMeasure), new("aliti", "al", PositiveMeasure),
        new("iviti", "ive", PositiveMeasure), new("biliti", "ble", PositiveMeasure),
        new("fulli", "ful", PositiveMeasure),                                 // [nltk]
    ];

    // Double suffixes to single ones (m>0).
    private static string Step2(string w)
    {
        // [nltk] alli→al is tried first and, when it fires, step 2 runs again on the result.
        if (w.EndsWith("alli", StringComparison.Ordinal) && PositiveMeasure(w[..^4]))
            return Step2(w[..^4] + "al");
        // [nltk] logi→log keeps the l in the measured stem, so geo-logi and theo-logi shorten too.
        var logi = new Rule("logi", "log", _ => PositiveMeasure(w[..^3]));
        return ApplyFirst(w, Step2Rules.Append(logi));
    }

    private static readonly Rule[] Step3Rules =
    [
        new("icate", "ic", PositiveMeasure), new("ative", "", PositiveMeasure),
        new("alize", "al", PositiveMeasure), new("iciti", "ic", PositiveMeasure),
        new("ical", "ic", PositiveMeasure), new("ful", "", PositiveMeasure), new("ness", "", PositiveMeasure),
    ];

    private static string Step3(string w) => ApplyFirst(w, Step3Rules);

    private static readonly Rule[] Step4Rules =
    [
        new("al", "", MeasureAboveOne), new("ance", "", MeasureAboveOne), new("ence", "", MeasureAboveOne),
        new("er", "", MeasureAboveOne), new("ic", "", MeasureAboveOne), new("able", "", MeasureAboveOne),
        new("ible", "", MeasureAboveOne), new("ant", "", MeasureAboveOne), new("ement", "", MeasureAboveOne),
        new("ment", "", MeasureAboveOne), new("ent", "", MeasureAboveOne),
        new("ion", "", stem => MeasureAboveOne(stem) && stem[^1] is 's' or 't'),
        new("ou", "", MeasureAboveOne), new("ism", "", MeasureAboveOne), new("ate", "", MeasureAboveOne),
        new("iti", "", MeasureAboveOne), new("ous", "", MeasureAboveOne), new("ive", "", MeasureAboveOne),
        new("ize", "", MeasureAboveOne),
    ];

    // Strip the last suffix when m>1.
    private static string Step4(string w) => ApplyFirst(w, Step4Rules);

    // (m>1) e→ ; (m=1 and not *o) e→ . Both conditions are tried, unlike in the other steps.
    private static string Step5A(string w)
    {
        if (!w.EndsWith('e')) return w;
        var stem = w[..^1];
        var m = Measure(stem);
        return m > 1 || (m == 1 && !EndsCvc(stem)) ? stem : w;
    }

    // (m>1 and *d and *L) → single letter: controll→control, roll stays.
    private static string Step5B(string w) =>
        w.EndsWith("ll", StringComparison.Ordinal) && MeasureAboveOne(w[..^1]) ? w[..^1] : w;
}
