using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableUn.IO;

/// <summary>
/// Reads a JSON number as a double only when it is finite. System.Text.Json turns an out-of-range literal such as
/// 1e400 into ±Infinity, which every stored record would then carry into its statistics and fail to write back;
/// refused here, it becomes the reader's usual one-line error naming the file. Writes exactly as the default does.
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetDouble();
        return double.IsFinite(value) ? value : throw new JsonException($"{value} is not a finite number");
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
