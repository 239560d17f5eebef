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
        var text = File.ReadAllText(path);
        Certificate? certificate;
        try { certificate = JsonSerializer.Deserialize<Certificate>(text, JsonDefaults.Options); }
        catch (JsonException e) { throw new FormatException($"{path}: not a certificate ({e.Message})", e); }
        if (certificate is null) throw new FormatException($"{path}: empty certificate");
        if (certificate.SchemaVersion != 1) throw new FormatException($"{path}: schema_version {certificate.SchemaVersion}; this durableun reads 1");
        if (certificate.Seeds is not { Count: > 0 }) throw new FormatException($"{path}: seeds is empty; a certificate must vouch for at least one run");
        if (!double.IsFinite(certificate.Epsilon)) throw new FormatException($"{path}: epsilon is {certificate.Epsilon}; it must be a finite number");
        if (certificate.Precisions is not { Count: > 0 }) throw new FormatException($"{path}: precisions is empty");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return certificate with { Seeds = certificate.Seeds.Select(s => s with { RunDir = Path.GetFullPath(s.RunDir, folder) }).ToList() };
    }

    public static (double CertRate, bool Stable) StoredSummary(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty certificate");
        return (node["cert_rate"]?.GetValue<double>() ?? throw new FormatException($"{path}: no cert_rate"),
                node["stable"]?.GetValue<bool>() ?? throw new FormatException($"{path}: no stable"));
    }
}
