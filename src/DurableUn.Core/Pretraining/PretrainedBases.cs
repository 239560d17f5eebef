using System.Text.Json;
using DurableUn.IO;
using DurableUn.Data.Synthetic;
using DurableUn.Training;

namespace DurableUn.Pretraining;

/// <summary>
/// The content-addressed cache of pretrained bases: a base is stored under
/// {cache}/bases/{key}/, where key = SHA-256 of the initial model folder's content hash, the corpus and the options,
/// so a study, a sweep and calibrate of the same preset and seed reuse one base, and any change trains a new one.
/// The folder is written atomically (ModelFolder.Save stages and renames), so a killed run leaves no half base.
/// Not: a lock; two processes missing the same key both train, and the second rename keeps a complete folder.
/// </summary>
public static class PretrainedBases
{
    /// $XDG_CACHE_HOME/durableun, else ~/.cache/durableun (the XDG base-directory default).
    public static string DefaultCacheDir()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "durableun");
    }

    public static string Key(string initialDir, PretrainingCorpus corpus, PretrainOptions options) =>
        ContentHash.OfText(string.Join("\n",
            ContentHash.OfFolder(initialDir),
            ContentHash.OfText(JsonSerializer.Serialize(corpus.Texts)),
            JsonSerializer.Serialize(options)));

    public static string PathOf(string cacheDir, string key) => Path.Combine(Path.GetFullPath(cacheDir), "bases", key);

    /// <summary>The cached base for these inputs, trained first when absent. <c>Trained</c> says whether this call
    /// trained it (false = cache hit).</summary>
    public static (string Folder, bool Trained) Ensure(string initialDir, PretrainingCorpus corpus, PretrainOptions options, string cacheDir,
                                                       Action<StepRecord>? onStep = null)
    {
        var folder = PathOf(cacheDir, Key(initialDir, corpus, options.Validate()));
        if (Directory.Exists(folder)) return (folder, false);
        Pretrainer.Train(initialDir, corpus, options, folder, onStep);
        return (folder, true);
    }
}
