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
        var text = File.ReadAllText(path);
        var certificate = JsonSerializer.Deserialize<Certificate>(text, FinetuneRun.Json)
                          ?? throw new FormatException($"{path}: empty certificate");
        if (certificate.SchemaVersion != 1) throw new FormatException($"{path}: schema_version {certificate.SchemaVersion}; this durableun reads 1");
        return certificate;
    }

    public static (double CertRate, bool Stable) StoredSummary(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty certificate");
        return (node["cert_rate"]?.GetValue<double>() ?? throw new FormatException($"{path}: no cert_rate"),
                node["stable"]?.GetValue<bool>() ?? throw new FormatException($"{path}: no stable"));
    }
}
