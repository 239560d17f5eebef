namespace DurableUn.Tokenization;

/// <summary>
/// GPT-2's byte-to-unicode map (openai/gpt-2 encoder.py <c>bytes_to_unicode</c>, Hugging Face's ByteLevel): each byte
/// becomes one printable character, so every byte string is a string of visible characters and a space is "Ġ".
/// Bytes 33–126, 161–172 and 174–255 map to themselves; the other 68 map to U+0100 onwards in byte order.
/// </summary>
public static class ByteLevel
{
    private static readonly char[] ToChar = BuildMap();
    private static readonly Dictionary<char, byte> ToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ToChar[b], b => (byte)b);

    private static char[] BuildMap()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
            map[b] = b is >= 33 and <= 126 or >= 161 and <= 172 or >= 174 and <= 255 ? (char)b : (char)next++;
        return map;
    }

    /// <summary>The visible character that stands for byte <paramref name="b"/>.</summary>
    public static char Char(byte b) => ToChar[b];

    /// <summary>The UTF-8 bytes of <paramref name="text"/>, each as its visible character.</summary>
    public static string Encode(string text) => new(System.Text.Encoding.UTF8.GetBytes(text).Select(b => ToChar[b]).ToArray());

    /// <summary>The bytes a byte-level token string stands for; a character outside the map is an error naming it.</summary>
    public static byte[] Bytes(string token) => token.Select(c => ToByte.TryGetValue(c, out var b) ? b
        : throw new FormatException($"byte-level token \"{token}\" has character U+{(int)c:X4}, which stands for no byte")).ToArray();
}
