using System.Text;
using System.Text.Json.Nodes;

namespace DurableUn.Tests.Fuzz;

/// <summary>
/// Deterministic breakers of a valid file: byte-level (truncate, flip, insert, delete, duplicate a range) and, for
/// JSON, structural (replace one value anywhere with null, a wrong type, a huge or non-finite number, an empty
/// container; drop or add a key). One seeded <see cref="Random"/> drives them, so a failure replays exactly.
/// </summary>
internal sealed class Mutations(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Replacements =
        ["null", "\"\"", "\"x\"", "-1", "0", "1e400", "-1e400", "123456789012345678901234567890", "3.5", "[]", "{}", "[1,2]", "{\"a\":1}", "true"];

    public byte[] Bytes(byte[] valid)
    {
        var b = valid.ToList();
        switch (_random.Next(6))
        {
            case 0: return valid[..(valid.Length == 0 ? 0 : _random.Next(valid.Length))];                     // truncated
            case 1 when b.Count > 0: b[_random.Next(b.Count)] ^= (byte)(1 << _random.Next(8)); break;       // one bit flipped
            case 2: b.Insert(_random.Next(b.Count + 1), (byte)_random.Next(256)); break;                     // a byte inserted
            case 3 when b.Count > 1: var at = _random.Next(b.Count); b.RemoveRange(at, Math.Min(b.Count - at, 1 + _random.Next(16))); break;
            case 4 when b.Count > 1: var from = _random.Next(b.Count); b.InsertRange(from, b.GetRange(from, Math.Min(b.Count - from, 1 + _random.Next(64)))); break;
            default: return [0xEF, 0xBB, 0xBF, .. valid];                                                  // a byte-order mark
        }
        return [.. b];
    }

    public string Json(string valid)
    {
        if (_random.Next(4) == 0) return Encoding.UTF8.GetString(Bytes(Encoding.UTF8.GetBytes(valid)));
        var root = JsonNode.Parse(valid)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[_random.Next(nodes.Count)];
        var replacement = JsonNode.Parse(Replacements[_random.Next(Replacements.Length)]);
        switch (target.Parent)
        {
            case null: return replacement?.ToJsonString() ?? "null";
            case JsonObject parent:
                var key = target.GetPropertyName();
                if (_random.Next(3) == 0) parent.Remove(key);                      // a key dropped
                else if (_random.Next(4) == 0) parent["fuzz_extra"] = replacement; // an unknown key added
                else parent[key] = replacement;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = replacement;
                break;
        }
        return root.ToJsonString();
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null) return;
        into.Add(node);
        if (node is JsonObject o) foreach (var (_, v) in o) Collect(v, into);
        if (node is JsonArray a) foreach (var v in a) Collect(v, into);
    }
}
