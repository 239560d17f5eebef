using DurableUn.Randomness;

namespace DurableUn.Data.Synthetic;

/// <summary>
/// Fictitious biographies in WPU's schema (docs/benchmarks.md#wpu): every row is (title = the person, wikipage = their
/// document, question, answer). forget holds the QA of the people to forget; hard_retain the QA of people related
/// to them, whose own pages name the forget person (the hard part: forget one, keep the other); general_retain the
/// QA of unrelated people. A wikipage is a lead sentence plus each fact stated in other words than its answer.
/// Not: WPU's numbered splits (forget_2_1, ...) or its jailbreak prompts.
/// </summary>
internal static class WpuGenerator
{
    private static readonly string[] Relations = ["sibling", "cousin", "business partner", "former student", "neighbour"];

    public static IEnumerable<(string Split, IReadOnlyList<DataRow> Rows)> Generate(
        PresetSizes sizes, DataDifficulty difficulty, ulong seed)
    {
        var rng = SeededRng.For(seed, "wpu");
        var values = new FactValues(rng);
        var templates = FactCatalog.Person[..FactCatalog.EntityFacts(difficulty)];
        Person Draw(string? relatedTo = null) =>
            Person.Draw(values, templates, relatedTo is null ? null : $"{rng.Pick(Relations)} of {relatedTo}");

        var forget = Enumerable.Range(0, sizes.ForgetPeople).Select(_ => Draw()).ToList();
        var related = forget.SelectMany(f => Enumerable.Range(0, sizes.RelativesPerPerson).Select(_ => Draw(f.Name))).ToList();
        var general = Enumerable.Range(0, sizes.GeneralPeople).Select(_ => Draw()).ToList();

        static IReadOnlyList<DataRow> Rows(IEnumerable<Person> people) => people.SelectMany(p => p.Rows()).ToList();
        yield return ("forget", Rows(forget));
        yield return ("hard_retain", Rows(related));
        yield return ("general_retain", Rows(general));
    }

    private sealed record Person(string Name, string Page, IReadOnlyList<Fact> Facts)
    {
        public IEnumerable<DataRow> Rows() => Facts.Select(f =>
        {
            var qa = f.ToQa();
            return (DataRow)new WpuItem(Name, Page, qa.Question, qa.Answer, qa.KeyFact);
        });

        public static Person Draw(FactValues values, IEnumerable<FactTemplate> templates, string? relation)
        {
            var name = values.Fresh(ValueShape.PersonName).Text;
            var facts = templates.Select(t => new Fact(t, name, values.Fresh(t.Shape))).ToList();
            var lead = relation is null ? $"{name} is a person of some public note." : $"{name} is the {relation}.";
            return new Person(name, string.Join(" ", facts.Select(f => f.Statement).Prepend(lead)), facts);
        }
    }
}
