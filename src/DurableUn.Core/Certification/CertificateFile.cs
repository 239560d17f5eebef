using System.Text.Json;
using System.Text.Json.Nodes;
using DurableUn.Experiments;
using DurableUn.IO;

namespace DurableUn.Certification;

/// <summary>
/// certificate.json on disk: written atomically, read with its schema version checked. cert_rate and stable are
/// derived properties of <see cref="Certificate"/>, so reading drops them; <see cref="StoredSummary"/> reads the
/// values the file states, which `certify --verify` compares with the recomputed ones.
/// </summary>
public static class CertificateFile
{
    public static void Write(string path, Certificate certificate) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(certificate, FinetuneRun.Json));

    public static Certificate Read(string path)
    {
        var certificate = JsonFile.Read<Certificate>(path, FinetuneRun.Json);
        if (certificate.SchemaVersion != 1) throw new JsonFileException(path, "schema_version", $"{certificate.SchemaVersion}; this durableun reads 1");
        return CertificateShape.Check(certificate, path);
    }

    public static (double CertRate, bool Stable) StoredSummary(string path)
    {
        var node = JsonFile.ReadObject(path);
        return (node["cert_rate"] is JsonValue r && r.TryGetValue(out double rate) ? rate : throw new JsonFileException(path, "cert_rate", "missing or not a number"),
                node["stable"] is JsonValue s && s.TryGetValue(out bool stable) ? stable : throw new JsonFileException(path, "stable", "missing or not true/false"));
    }
}
