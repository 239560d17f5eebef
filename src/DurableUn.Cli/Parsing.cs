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

/// <summary>Comma-separated precision names, parsed with the library's grammar.</summary>
internal static class PrecisionList
{
    public static IReadOnlyList<Precision> Parse(string text, bool requireBf16)
    {
        var list = CommaList.Parse(text).Select(Precision.Parse).Distinct().ToList();
        if (list.Count == 0) throw new ArgumentException("--precisions names no precision");
        if (requireBf16 && !list.Contains(Precision.Bf16)) list.Insert(0, Precision.Bf16);
        return list;
    }
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
