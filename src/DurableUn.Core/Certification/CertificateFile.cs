using System.Text.Json;
using System.Text.Json.Nodes;
using DurableUn.IO;

namespace DurableUn.Certification;

/// <summary>
/// certificate.json on disk: written atomically, read with its schema version checked. cert_rate and stable are
/// derived properties of <see cref="Certificate"/>, so reading drops them; <see cref="StoredSummary"/> reads the
/// values the file states, which `certify --verify` compares with the recomputed ones. Each seed's run_dir is stored
/// relative to the certificate's folder, so a study copied or moved whole verifies against its own files; in memory
/// it is absolute (older certificates with absolute paths read unchanged). A certificate that cannot vouch for
/// anything — no seeds, no precisions, a non-finite ε — is refused when read.
/// </summary>
public static class CertificateFile
{
    public static void Write(string path, Certificate certificate)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var stored = certificate with
        {
            Seeds = certificate.Seeds.Select(s => s with { RunDir = Path.GetRelativePath(folder, Path.GetFullPath(s.RunDir)) }).ToList(),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(stored, JsonDefaults.Options));
    }

    public static Certificate Read(string path)
    {
        var certificate = JsonFile.Read<Certificate>(path, JsonDefaults.Options);
        if (certificate.SchemaVersion != 1) throw new JsonFileException(path, "schema_version", $"{certificate.SchemaVersion}; this durableun reads 1");
        if (certificate.Seeds.Count == 0) throw new JsonFileException(path, "$.seeds", "is empty; a certificate must vouch for at least one run");
        if (!double.IsFinite(certificate.Epsilon)) throw new JsonFileException(path, "$.epsilon", $"is {certificate.Epsilon}; it must be a finite number");
        CertificateShape.Check(certificate, path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return certificate with { Seeds = certificate.Seeds.Select(s => s with { RunDir = Path.GetFullPath(s.RunDir, folder) }).ToList() };
    }

    public static (double CertRate, bool Stable) StoredSummary(string path)
    {
        var node = JsonFile.ReadObject(path);
        return (node["cert_rate"] is JsonValue r && r.TryGetValue(out double rate) ? rate : throw new JsonFileException(path, "cert_rate", "missing or not a number"),
                node["stable"] is JsonValue s && s.TryGetValue(out bool stable) ? stable : throw new JsonFileException(path, "stable", "missing or not true/false"));
    }
}
