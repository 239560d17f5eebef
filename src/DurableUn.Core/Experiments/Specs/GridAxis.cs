using System.Globalization;
using System.Text.Json.Serialization;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// One axis of a grid sweep, <c>--grid key=v1,v2,...</c>: a method option and the values it takes, as the text
/// <c>--set</c> would be given (so any type the method's options accept: numbers, integers, enum names, booleans).
/// Not: checking the key against a method (<see cref="SweepSpec.Validate"/> does, with the method in hand).
/// </summary>
public sealed record GridAxis(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("values")] IReadOnlyList<string> Values)
{
    public static GridAxis Parse(string text)
    {
        var at = text.IndexOf('=');
        if (at <= 0) throw new FormatException($"--grid \"{text}\" is not key=v1,v2,...");
        var values = text[(at + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (values.Any(v => v.Length == 0)) throw new FormatException($"--grid \"{text}\": a value of {text[..at].Trim()} is empty");
        if (values.Distinct().Count() != values.Length) throw new FormatException($"--grid \"{text}\": {text[..at].Trim()} repeats a value");
        return new GridAxis(text[..at].Trim(), values);
    }
}
