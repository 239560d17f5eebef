namespace DurableUn.Data.Synthetic;

/// <summary>
/// The word lists and syllables the synthetic benchmarks are built from, written for this project. Names of
/// people, places and prizes are two or three syllables glued together, so each new entity adds one or two
/// words to the vocabulary; everything else comes from these fixed lists, which keeps a tiny dataset's
/// word-level vocabulary in the hundreds.
/// Not: real people, places or books; a name that happens to exist somewhere is a coincidence.
/// </summary>
internal static class Lexicon
{
    public static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "be", "dri", "el", "fa", "gor", "ha", "is", "jun",
        "ke", "lan", "mor", "nel", "o", "pa", "quin", "ra", "sel", "ta", "u", "val", "wen", "ya", "zo", "bra",
        "cal", "dor", "en", "fin", "gal", "hel", "ir", "kol", "lin", "mar", "nor", "or", "pel", "ros", "sten", "tir",
    ];

    public static readonly string[] PlaceEndings =
        ["a", "ia", "on", "ford", "holm", "vale", "mere", "burg", "stad", "wick", "port", "ton", "by", "crest"];

    public static readonly string[] Countries =
    [
        "Norway", "Chile", "Portugal", "Kenya", "Canada", "Japan", "Ireland", "Peru", "Austria", "Ghana",
        "Finland", "Uruguay", "Greece", "Vietnam", "Scotland", "Morocco",
    ];

    public static readonly string[] Months =
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ];

    public static readonly string[] Genres =
    [
        "science fiction", "crime fiction", "historical fiction", "fantasy", "poetry", "horror", "romance",
        "satire", "mystery", "memoir", "travel writing", "fairy tales", "thrillers", "drama", "essays",
    ];

    public static readonly string[] GenreModifiers =
        ["gothic", "comic", "coastal", "urban", "pastoral", "dark", "lyrical", "political", "experimental", "rural"];

    public static readonly string[] GenreTopics =
    [
        "the sea", "childhood", "war", "family", "exile", "music", "cities", "grief", "friendship", "science",
        "politics", "faith",
    ];

    public static readonly string[] Jobs =
    [
        "baker", "carpenter", "nurse", "pilot", "librarian", "surgeon", "tailor", "fisherman", "teacher",
        "engineer", "painter", "pharmacist", "farmer", "locksmith", "architect", "journalist", "chemist",
        "watchmaker", "gardener", "photographer", "judge", "dentist", "sailor", "potter",
    ];

    public static readonly string[] JobModifiers =
    [
        "retired", "travelling", "night-shift", "village", "military", "hospital", "harbour", "wedding",
        "court", "railway", "school", "mountain", "ship", "palace", "theatre", "factory", "city", "forest",
        "museum", "prison", "market", "river", "circus", "cathedral", "embassy", "airport", "hotel", "garden",
        "newspaper", "bridge", "mining", "concert",
    ];

    public static readonly string[] Adjectives =
    [
        "Silver", "Hollow", "Crimson", "Quiet", "Broken", "Golden", "Distant", "Frozen", "Hidden", "Last",
        "Burning", "Salt", "Paper", "Iron", "Glass", "Velvet", "Amber", "Pale", "Wild", "Sleeping", "Northern",
        "Patient", "Little", "Lost", "Bitter", "Secret", "Winter", "Open", "Restless", "Green",
    ];

    public static readonly string[] Nouns =
    [
        "Harbor", "Lantern", "Orchard", "River", "Garden", "Mirror", "Tower", "Letters", "Sparrow", "Bridge",
        "Clock", "Meadow", "Compass", "Island", "Engine", "Archive", "Violin", "Kingdom", "Shore", "Atlas",
        "Window", "Forest", "Ledger", "Station", "Lighthouse", "Winter", "Horizon", "Cathedral", "Harvest",
        "Road", "Quarry", "Fox", "Heron", "Map", "Door", "Anchor", "Veil", "Signal", "Chorus", "Tide",
    ];

    public static readonly string[] AwardKinds = ["Prize", "Medal", "Award", "Laurel"];

    public static readonly string[] SchoolKinds = ["University", "College", "Institute", "Academy"];

    public static readonly string[] OrganizationKinds =
        ["Council", "Trust", "Works", "Authority", "Cooperative", "Foundation", "Company"];

    public static readonly string[] CostUnits = ["million crowns", "thousand crowns"];

    /// Sentences that carry no fact; articles use them between fact sentences, as news prose does.
    public static readonly string[] Filler =
    [
        "Residents gathered at the town hall to hear the announcement.",
        "Local shop owners said they expected more visitors in the coming months.",
        "Critics of the plan raised concerns about noise and traffic.",
        "The weather delayed the first week of work.",
        "A public meeting is planned for later in the year.",
        "Officials said the schedule could still change.",
        "Several families living nearby were asked to move for a short time.",
        "Supporters described the decision as long overdue.",
        "The local newspaper received many letters about the plan.",
        "Work is expected to continue through the winter.",
    ];

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
