using TorchSharp;

namespace DurableUn.Tensors;

/// <summary>
/// Sets libtorch's intra-op thread count for one workload and restores the previous count on dispose. The count is
/// process-wide: use it around work that owns the process's compute (a generation loop), not from parallel threads.
/// Not: inter-op threads; not: the process default (<see cref="NativeTorch.ThreadsVariable"/>, which --jobs divides).
/// </summary>
public sealed class IntraOpThreads : IDisposable
{
    private readonly int _previous;

    private IntraOpThreads(int threads)
    {
        _previous = torch.get_num_threads();
        if (threads != _previous) torch.set_num_threads(threads);
    }

    /// <param name="threads">Threads for the workload; null leaves the process's setting alone.</param>
    public static IntraOpThreads? Use(int? threads) => threads switch
    {
        null => null,
        < 1 => throw new ArgumentOutOfRangeException(nameof(threads), threads, "intra-op threads must be ≥ 1"),
        _ => new IntraOpThreads(threads.Value),
    };

    public void Dispose()
    {
        if (torch.get_num_threads() != _previous) torch.set_num_threads(_previous);
    }
}
