using LLama.Native;

namespace DurableUn.LlamaCpp;

/// <summary>
/// The one-time setup of the native llama.cpp that LLamaSharp.Backend.Cpu ships (it picks the AVX level of this CPU):
/// llama.cpp's log goes to a ring of recent lines instead of stderr, so a study's output stays ours, and a failure
/// (a model llama.cpp refuses, a quantization that fails) can quote llama.cpp's own last words.
/// Not: choosing a GPU backend (only the CPU package is referenced).
/// </summary>
public static class LlamaCppRuntime
{
    /// <summary>How many recent warning and error lines are kept to quote in an error.</summary>
    private const int KeptLines = 20;

    private static readonly Queue<(long Number, string Line)> Recent = new();
    private static long _logged;
    private static readonly Lazy<bool> Configured = new(Configure);

    /// <summary>Configures the log before the first native call; safe to call any number of times.</summary>
    public static void EnsureConfigured() => _ = Configured.Value;

    /// <summary>A mark to pass to <see cref="WarningsSince"/>: the number of warning and error lines logged so far.</summary>
    public static long Mark()
    {
        lock (Recent) return _logged;
    }

    /// <summary>llama.cpp's warning and error lines logged after the mark (oldest first; at most the last <see cref="KeptLines"/>).</summary>
    public static IReadOnlyList<string> WarningsSince(long mark)
    {
        lock (Recent) return Recent.Where(r => r.Number > mark).Select(r => r.Line).ToList();
    }

    private static bool Configure()
    {
        NativeLibraryConfig.All.WithLogCallback((level, message) =>
        {
            if (level is not (LLamaLogLevel.Warning or LLamaLogLevel.Error)) return;
            lock (Recent)
            {
                Recent.Enqueue((++_logged, message.TrimEnd()));
                while (Recent.Count > KeptLines) Recent.Dequeue();
            }
        });
        // Loads the native library through LLamaSharp's resolver (it picks runtimes/…/native/avx2 etc.); a first native
        // call from a type other than NativeApi (the quantizer's default parameters) would probe the plain names and fail.
        NativeApi.llama_empty_call();
        return true;
    }
}
