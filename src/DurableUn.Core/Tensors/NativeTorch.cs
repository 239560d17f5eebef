using TorchSharp;

namespace DurableUn.Tensors;

/// <summary>
/// Loads libtorch once and checks that it is our copy. Debian's python3-torch puts a libtorch 1.13 on the system
/// library path; a process that maps it instead of the libtorch 2.10 shipped next to our assemblies crashes in
/// unpredictable places, so we fail early with a message that names the stray file.
/// Not: a way to pick a CUDA backend; this build ships the CPU libtorch only.
/// </summary>
public static class NativeTorch
{
    private static readonly Lazy<string> Loaded = new(LoadAndVerify);

    /// <summary>Environment variable that sets libtorch's intra-op threads (default: one per core).</summary>
    public const string ThreadsVariable = "DURABLEUN_THREADS";

    /// <summary>
    /// Environment variable with libtorch's intra-op threads while decoding (<see cref="Model.Generation"/>); unset keeps
    /// the process's count. The CLI sets 1 when unset: a small decode step gains nothing from a second thread and
    /// stalls when the other core is busy, and greedy outputs then do not depend on the machine's core count.
    /// Library callers in one process with concurrent torch work leave it unset (the count is process-wide).
    /// </summary>
    public const string DecodeThreadsVariable = "DURABLEUN_DECODE_THREADS";

    /// <summary>The decode thread count from <see cref="DecodeThreadsVariable"/>; null when unset. Throws on a bad value.</summary>
    public static int? DecodeThreads => Environment.GetEnvironmentVariable(DecodeThreadsVariable) is { Length: > 0 } text
        ? int.TryParse(text, out var n) && n > 0 ? n : throw new InvalidOperationException($"{DecodeThreadsVariable}={text}: expected a positive number of threads")
        : null;

    /// <summary>The folder libtorch was mapped from. Throws when it is not the application's own copy.</summary>
    public static string EnsureLoaded() => Loaded.Value;

    private static string LoadAndVerify()
    {
        _ = torch.zeros(1); // forces TorchSharp's static initialiser, which maps libLibTorchSharp and libtorch
        if (Environment.GetEnvironmentVariable(ThreadsVariable) is { Length: > 0 } text)
            torch.set_num_threads(int.TryParse(text, out var n) && n > 0
                ? n
                : throw new InvalidOperationException($"{ThreadsVariable}={text}: expected a positive number of threads"));
        var ours = AppContext.BaseDirectory;
        var stray = MappedTorchLibraries().Where(p => !p.StartsWith(ours, StringComparison.Ordinal)).ToList();
        if (stray.Count > 0)
            throw new InvalidOperationException(
                $"A libtorch from outside this application was loaded: {string.Join(", ", stray)}. " +
                $"Expected every libtorch/libc10 under {ours}. Unset LD_LIBRARY_PATH/LD_PRELOAD entries that point at a system libtorch.");
        return ours;
    }

    /// <summary>Paths of libtorch*/libc10* files currently mapped into this process (Linux only; empty elsewhere).</summary>
    public static IReadOnlyList<string> MappedTorchLibraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return [];
        return File.ReadLines(maps)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cols => cols.Length >= 6)
            .Select(cols => string.Join(' ', cols.Skip(5)))
            .Where(path => Path.GetFileName(path) is var f && (f.StartsWith("libtorch", StringComparison.Ordinal) || f.StartsWith("libc10", StringComparison.Ordinal)))
            .Distinct()
            .ToList();
    }
}
