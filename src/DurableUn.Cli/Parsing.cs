using DurableUn.Data;
using DurableUn.Deployment;

namespace DurableUn.Cli;

// The command line's value grammars, shared by every command: values are parsed here, at the edge, into the
// library's types, and only those types travel further.

/// <summary>A comma-separated option value ("ga,npo"): trimmed items, empty ones dropped.</summary>
internal static class CommaList
{
    public static List<string> Parse(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// <summary>Precision lists as parsed by <see cref="Values.PrecisionListConverter"/>.</summary>
internal static class PrecisionList
{
    /// <summary>The list with bf16 first when it was not named: the reference every other precision is read against.</summary>
    public static IReadOnlyList<Precision> WithBf16(IReadOnlyList<Precision> list) => list.Contains(Precision.Bf16) ? list : [Precision.Bf16, .. list];
}

/// <summary>The prompt templates by command-line name.</summary>
internal static class Templates
{
    public static PromptTemplate Parse(string name) => name switch
    {
        "plain" => new PromptTemplate.Plain(),
        "llama3-chat" => new PromptTemplate.Llama3Chat(),
        _ => throw new ArgumentException($"unknown template \"{name}\"; known: plain, llama3-chat"),
    };
}
