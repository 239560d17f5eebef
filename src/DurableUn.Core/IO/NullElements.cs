using System.Collections;
using System.Reflection;

namespace DurableUn.IO;

/// <summary>
/// Finds a JSON null inside a list or dictionary of a record read from a file (<c>"seeds": [null]</c>): the
/// serializer's nullable-annotation checks cover properties but not collection elements, and no record of this tool
/// holds a null element, so one is an error naming its path (<c>$.seeds[0]</c>) rather than a crash far from the file.
/// Walks the tool's own record types only.
/// </summary>
internal static class NullElements
{
    public static string? Find(object? value, string path = "$", int depth = 0)
    {
        if (value is null || depth > 32 || value is string || value.GetType().IsPrimitive || value is decimal) return null;
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry e in dictionary)
                if ((e.Value is null ? $"{path}.{e.Key}" : Find(e.Value, $"{path}.{e.Key}", depth + 1)) is { } at) return at;
            return null;
        }
        if (value is IEnumerable list)
        {
            var i = 0;
            foreach (var item in list)
            {
                if ((item is null ? $"{path}[{i}]" : Find(item, $"{path}[{i}]", depth + 1)) is { } at) return at;
                i++;
            }
            return null;
        }
        var type = value.GetType();
        if (type.Namespace?.StartsWith("DurableUn", StringComparison.Ordinal) != true) return null;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.SetMethod is null) continue; // stored properties only, not derived ones
            var name = p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name ?? p.Name;
            if (Find(p.GetValue(value), $"{path}.{name}", depth + 1) is { } at) return at;
        }
        return null;
    }
}
