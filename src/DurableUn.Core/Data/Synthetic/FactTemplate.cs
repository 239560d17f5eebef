namespace DurableUn.Data.Synthetic;

/// <summary>
/// One kind of fact about a subject, as text: the question, the answer (the item the model learns), and a
/// paraphrase (TOFU's paraphrased_answer, and the sentence that states the fact in an article or a wikipage).
/// "{s}" is the subject and "{v}" the value; "{v}" occurs once in each, which is how the key-fact span is known
/// exactly instead of searched for.
/// Not: value drawing (FactValues) or the choice of facts per entity (FactCatalog).
/// </summary>
internal sealed record FactTemplate(string Key, ValueShape Shape, string Question, string Answer, string Paraphrase)
{
    public string Ask(string subject) => Sentence(Question.Replace("{s}", subject));

    public string Paraphrased(string subject, string value) => Fill(Paraphrase, subject, value).Text;

    /// The answer with the span of the value in it.
    public (string Text, KeyFact Fact) Answered(string subject, string value) => Fill(Answer, subject, value);

    private static (string Text, KeyFact Fact) Fill(string template, string subject, string value)
    {
        var withSubject = template.Replace("{s}", subject);
        var at = withSubject.IndexOf("{v}", StringComparison.Ordinal);
        if (at < 0 || withSubject.IndexOf("{v}", at + 3, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"template '{template}' must hold {{v}} exactly once");
        var raw = withSubject[..at] + value + withSubject[(at + 3)..];
        var text = at == 0 ? raw : Sentence(raw);
        return (text, new KeyFact(value, at, at + value.Length));
    }

    // Subjects such as "the Amber Bridge project" may open a sentence and are capitalised there; a value that
    // opens one is left as drawn, so that the key fact's text stays equal to the value.
    private static string Sentence(string s) => Lexicon.Capitalize(s);
}

/// <summary>A fact: a template, its subject and the value it has for that subject.</summary>
internal sealed record Fact(FactTemplate Template, string Subject, FactValue Value)
{
    public QaItem ToQa()
    {
        var (answer, keyFact) = Template.Answered(Subject, Value.Text);
        return new QaItem(Template.Ask(Subject), answer, keyFact);
    }

    /// The fact stated the other way, as an article or wikipage sentence.
    public string Statement => Template.Paraphrased(Subject, Value.Text);

    public PerturbedQaItem ToPerturbed(IReadOnlyList<string> wrongValues)
    {
        var qa = ToQa();
        return new PerturbedQaItem(qa.Question, qa.Answer, Statement,
            wrongValues.Select(v => Template.Answered(Subject, v).Text).ToList(), qa.KeyFact);
    }
}
