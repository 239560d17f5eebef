using DurableUn.IO;

namespace DurableUn.Certification;

/// <summary>
/// The structure a certificate read from disk must have before anything is computed from it: at least one
/// precision, and every seed measured (FA and RA, finite numbers) at every one of them. A file that breaks this
/// was edited or written by something else; the error names the file and the seed's field.
/// Not: whether the stated verdicts are right (`certify --verify` recomputes those).
/// </summary>
internal static class CertificateShape
{
    public static Certificate Check(Certificate c, string path)
    {
        if (c.Precisions.Count == 0) throw new JsonFileException(path, "$.precisions", "is empty; a certificate covers one or more precisions");
        for (var i = 0; i < c.Seeds.Count; i++)
        {
            foreach (var (field, values) in new[] { ("fa", c.Seeds[i].Fa), ("ra", c.Seeds[i].Ra) })
                foreach (var p in c.Precisions)
                    if (!values.TryGetValue(p, out var v) || !double.IsFinite(v))
                        throw new JsonFileException(path, $"$.seeds[{i}].{field}", $"has no finite value for precision {p}");
        }
        return c;
    }
}
