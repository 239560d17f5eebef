using System.Globalization;
using System.Reflection;
using System.Text;
using DurableUn.Deployment;

namespace DurableUn.Methods;

/// <summary>What applying <c>--set</c> overrides gives: the new options and every key's final value (for run records).</summary>
public sealed record ResolvedSettings<T>(T Options, IReadOnlyDictionary<string, object> Values) where T : IMethodOptions;

/// <summary>
/// Typed <c>--set key=value</c> overrides of an options record (nanoGPT's configurator without the exec:
/// every override is checked against the record's own typed properties): the keys are the record's init properties in snake_case (<c>RetainWeight</c> → <c>retain_weight</c>),
/// values are parsed as the property's type (invariant culture; enums by their snake_case name; bool true/false; a Precision by its name), after the record's own Upgrade rewrites keys it once had.
/// An unknown key lists the valid ones, a mistyped value names key and value, and the result is validated, so every
/// mistake fails before any training. The caller's record is never modified.
/// </summary>
public static class MethodSettings
{
    public static ResolvedSettings<T> Apply<T>(T options, IEnumerable<string> assignments) where T : IMethodOptions
    {
        var properties = Keys(options.GetType());
        var result = Clone(options);
        foreach (var assignment in options.Upgrade([.. assignments]))
        {
            var at = assignment.IndexOf('=');
            if (at <= 0) throw new ArgumentException($"setting \"{assignment}\" is not key=value", nameof(assignments));
            var (key, text) = (assignment[..at].Trim(), assignment[(at + 1)..].Trim());
            if (!properties.TryGetValue(key, out var property))
                throw new ArgumentException($"unknown key \"{key}\"; valid keys: {string.Join(", ", properties.Keys)}", key);
            property.SetValue(result, Parse(property.PropertyType, key, text));
        }
        result.Validate();
        return new ResolvedSettings<T>(result, Values(result, properties));
    }

    /// Every key of an options type with its property (sorted), for help text and the catalog.
    public static SortedDictionary<string, PropertyInfo> Keys(Type optionsType) =>
        new(optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true })
                .ToDictionary(p => SnakeCase(p.Name)), StringComparer.Ordinal);

    /// Every key's value, enums as their snake_case names and null as "default".
    public static IReadOnlyDictionary<string, object> Values(IMethodOptions options) => Values(options, Keys(options.GetType()));

    /// <c>IncludeBf16Forget</c> → <c>include_bf16_forget</c>, <c>Q8_0</c> → <c>q8_0</c>.
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static IReadOnlyDictionary<string, object> Values(IMethodOptions options, SortedDictionary<string, PropertyInfo> keys) =>
        keys.ToDictionary(kv => kv.Key, kv => kv.Value.GetValue(options) switch
        {
            null => "default",
            Enum e => SnakeCase(e.ToString()),
            Precision p => p.Name,
            var v => v,
        });

    private static object? Parse(Type type, string key, string text)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target != type && text is "default" or "null") return null;
        object? value = target switch
        {
            _ when target == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            _ when target == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when target == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ when target == typeof(Precision) => ParsePrecision(key, text),
            _ when target.IsEnum => Enum.GetValues(target).Cast<Enum>().FirstOrDefault(e => SnakeCase(e.ToString()) == text.ToLowerInvariant()),
            _ => throw new InvalidOperationException($"options key \"{key}\" has type {target.Name}, which settings cannot parse"),
        };
        return value ?? throw new ArgumentException($"{key}={text}: \"{text}\" is not {Expected(target)}", key);
    }

    private static Precision ParsePrecision(string key, string text)
    {
        try { return Precision.Parse(text); }
        catch (ArgumentException e) { throw new ArgumentException($"{key}={text}: {e.Message}", key); }
    }

    private static string Expected(Type t) =>
        t == typeof(double) ? "a number" : t == typeof(int) ? "an integer" : t == typeof(bool) ? "true or false"
        : "one of " + string.Join(", ", Enum.GetValues(t).Cast<Enum>().Select(e => SnakeCase(e.ToString())));

    /// A shallow copy through the record's compiler-generated clone, so init properties can be set on it.
    private static T Clone<T>(T options) where T : IMethodOptions =>
        (T)(options.GetType().GetMethod("<Clone>$")?.Invoke(options, null)
            ?? throw new ArgumentException($"{options.GetType().Name} is not a record", nameof(options)));
}
