namespace DurableUn.LlamaCpp;

/// <summary>How llama.cpp runs a measurement. Each default has its reason beside it.</summary>
public sealed record LlamaCppSettings
{
    /// <summary>
    /// Keep the KV cache in F32 and flash attention off: the measurement then isolates the weights' format (the
    /// thing a GGUF precision deploys), and llama.cpp on an f32 file matches our engine to ~1e-5 in log p. llama.cpp's
    /// own default (F16 cache) rounds every key and value; set false to measure with it.
    /// </summary>
    public bool ExactActivations { get; init; } = true;

    /// <summary>Sequences decoded together: a decode step of a small model costs about the same for 8 or 64 rows on
    /// a CPU, so fewer, fuller steps are cheaper; 64 is our own engine's generation batch (QaAccuracy), and each
    /// sequence has its own KV stream, so attention does not grow with the batch.</summary>
    public int Sequences { get; init; } = 64;

    public LlamaCppSettings Validate() =>
        Sequences is >= 1 and <= 256 ? this : throw new ArgumentOutOfRangeException(nameof(Sequences), Sequences, "sequences must be 1 to 256");
}
