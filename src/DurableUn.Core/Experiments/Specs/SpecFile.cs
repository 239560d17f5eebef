using DurableUn.IO;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// The spec file of a study or sweep folder (study.json, sweep.json): written on the first run, and on every later
/// run compared byte for byte with the spec of that run, so the results of two specs never mix in one folder.
/// Not: reading a spec back (the report command does, with the serializer options it was written with).
/// </summary>
internal static class SpecFile
{
    public static void Claim(string path, string json, string kind)
    {
        if (!File.Exists(path))
        {
            AtomicFile.WriteAllText(path, json);
            return;
        }
        if (File.ReadAllText(path) != json)
            throw new InvalidOperationException($"{path} holds another {kind}'s spec; use a new --out folder (results of two specs never mix)");
    }
}
