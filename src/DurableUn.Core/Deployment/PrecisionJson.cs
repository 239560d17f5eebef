using System.Text.Json;
using DurableUn.IO;

namespace DurableUn.Deployment;

/// <summary>
/// A <see cref="Precision"/> by its canonical name (<c>"int4:g32"</c>), as a value and as a dictionary key (FA and RA
/// per precision), the text stored files have always held.
/// </summary>
public sealed class PrecisionJson() : ByNameJson<Precision>("precision", Precision.Parse, p => p.Name)
{
    public override Precision ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, Precision value, JsonSerializerOptions options) =>
        writer.WritePropertyName(NameOf(value));
}
