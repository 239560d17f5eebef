using System.Globalization;
using System.Text.Json.Serialization;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// One dimension of a random search, <c>--range key=lo:hi[:log]</c>: values drawn uniformly from [lo, hi], or
/// log-uniformly (uniform in ln) with <c>:log</c>, the usual prior for learning rates and weights spanning decades.
/// Not: categorical options (sweep those with a grid).
/// </summary>
public sealed record SweepRange(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("low")] double Low,
    [property: JsonPropertyName("high")] double High,
    [property: JsonPropertyName("log")] bool Log)
{
    public static SweepRange Parse(string text)
    {
        var at = text.IndexOf('=');
        if (at <= 0) throw new FormatException($"--range \"{text}\" is not key=lo:hi or key=lo:hi:log");
        var key = text[..at].Trim();
        var parts = text[(at + 1)..].Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3 || parts.Length == 3 && parts[2] != "log")
            throw new FormatException($"--range \"{text}\" is not key=lo:hi or key=lo:hi:log");
        if (!Number(parts[0], out var low) || !Number(parts[1], out var high))
            throw new FormatException($"--range \"{text}\": lo and hi of {key} must be finite numbers");
        return new SweepRange(key, low, high, parts.Length == 3).Validate();
    }

    public SweepRange Validate()
    {
        if (!double.IsFinite(Low) || !double.IsFinite(High) || !(Low < High))
            throw new ArgumentException($"--range {Key}: lo must be below hi and both finite, got {Low}:{High}", Key);
        if (Log && !(Low > 0)) throw new ArgumentException($"--range {Key}: a log range needs lo > 0, got {Low}", Key);
        return this;
    }

    /// The value at position u ∈ [0, 1) of the range: linear, or linear in ln for a log range.
    public double At(double u) => Log ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low);

    private static bool Number(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
