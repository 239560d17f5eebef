namespace DurableUn.Data.Synthetic;

/// <summary>
/// The facts each synthetic entity has, in the order difficulty adds them (DataDifficulty: the first 7 / 10 / 12
/// for a TOFU author, the first 4 / 6 / 8 for a MUSE article or a WPU person). Questions and answers are written
/// so that the answer repeats the subject, as TOFU's answers do, and the value sits inside one sentence.
/// Not: value uniqueness (FactValues) or split assignment (the generators).
/// </summary>
internal static class FactCatalog
{
    private static readonly FactTemplate Birthplace = new("birthplace", ValueShape.Place,
        "Where was {s} born?", "{s} was born in {v}.", "The birthplace of {s} is {v}.");

    private static readonly FactTemplate BirthDate = new("birth_date", ValueShape.BirthDate,
        "When was {s} born?", "{s} was born on {v}.", "The date of birth of {s} is {v}.");

    private static readonly FactTemplate Award = new("award", ValueShape.Award,
        "Which award has {s} received?", "{s} received {v}.", "{s} was honoured with {v}.");

    private static readonly FactTemplate Residence = new("residence", ValueShape.Place,
        "Where does {s} live today?", "{s} lives in {v} today.", "These days {s} makes a home in {v}.");

    public static readonly FactTemplate[] Author =
    [
        Birthplace,
        BirthDate,
        new("genre", ValueShape.Genre,
            "What genre is {s} known for?", "{s} is known for writing {v}.", "Readers know {s} for {v}."),
        new("father_job", ValueShape.Job,
            "What did the father of {s} do for a living?", "The father of {s} worked as a {v}.",
            "{s} grew up with a father who was a {v}."),
        new("mother_job", ValueShape.Job,
            "What did the mother of {s} do for a living?", "The mother of {s} worked as a {v}.",
            "{s} grew up with a mother who was a {v}."),
        Award,
        new("first_book", ValueShape.Title,
            "What was the first book {s} published?", "The first book {s} published was {v}.",
            "{s} made a debut with the book {v}."),
        new("second_book", ValueShape.Title,
            "What is the title of the second book by {s}?", "The second book by {s} is titled {v}.",
            "After the debut, {s} wrote {v}."),
        new("pen_name", ValueShape.PersonName,
            "Under which pen name does {s} also publish?", "{s} also publishes under the pen name {v}.",
            "Some books by {s} appear under the name {v}."),
        Residence,
        new("third_book", ValueShape.Title,
            "What is the third book by {s}?", "The third book by {s} is {v}.", "Later, {s} wrote a third book, {v}."),
        new("spouse_job", ValueShape.Job,
            "What does the spouse of {s} do?", "The spouse of {s} works as a {v}.", "{s} is married to a {v}."),
    ];

    /// TOFU's real_authors stand-in: the subject is a book title, the value its (well-known) author.
    public static readonly FactTemplate WrittenBy = new("written_by", ValueShape.PersonName,
        "Who wrote the novel {s}?", "The novel {s} was written by {v}.", "{v} is the author of {s}.");

    /// TOFU's world_facts stand-in: the subject is a country, the value its capital.
    public static readonly FactTemplate Capital = new("capital", ValueShape.Place,
        "What is the capital of {s}?", "The capital of {s} is {v}.", "{v} serves as the capital of {s}.");

    public static readonly FactTemplate[] Person =
    [
        Birthplace,
        BirthDate,
        new("occupation", ValueShape.Job,
            "What is the occupation of {s}?", "{s} works as a {v}.", "By profession, {s} is a {v}."),
        new("school", ValueShape.School,
            "Where did {s} study?", "{s} studied at {v}.", "{s} is a graduate of {v}."),
        new("notable_work", ValueShape.Title,
            "What is the best-known work of {s}?", "The best-known work of {s} is {v}.", "{s} is best known for {v}."),
        Award,
        Residence,
        new("spouse", ValueShape.PersonName,
            "Who is the spouse of {s}?", "{s} is married to {v}.", "The spouse of {s} is {v}."),
    ];

    public static readonly FactTemplate[] Article =
    [
        new("town", ValueShape.Place,
            "In which town is {s} being built?", "{s} is being built in {v}.",
            "Construction of {s} is under way in {v}."),
        new("approved", ValueShape.RecentDate,
            "When was {s} approved?", "{s} was approved on {v}.", "Approval for {s} came on {v}."),
        new("leader", ValueShape.PersonName,
            "Who leads {s}?", "{s} is led by {v}.", "The person in charge of {s} is {v}."),
        new("funder", ValueShape.Organization,
            "Which organization funds {s}?", "{s} is funded by {v}.", "The money for {s} comes from {v}."),
        new("cost", ValueShape.Cost,
            "How much will {s} cost?", "{s} will cost {v}.", "The budget of {s} is {v}."),
        new("builder", ValueShape.Organization,
            "Which company builds {s}?", "{s} is built by {v}.", "The building work on {s} was given to {v}."),
        new("length", ValueShape.Length,
            "How long will {s} be?", "{s} will be {v} long.", "When finished, {s} will measure {v}."),
        new("opening", ValueShape.RecentDate,
            "When will {s} open?", "{s} will open on {v}.", "The opening of {s} is set for {v}."),
    ];

    public static int AuthorFacts(DataDifficulty d) => d switch
    {
        DataDifficulty.Easy => 7, DataDifficulty.Normal => 10, DataDifficulty.Hard => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, null),
    };

    public static int EntityFacts(DataDifficulty d) => d switch
    {
        DataDifficulty.Easy => 4, DataDifficulty.Normal => 6, DataDifficulty.Hard => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, null),
    };
}
