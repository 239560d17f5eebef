using DurableUn.Data.Tokenized;

namespace DurableUn.Methods;

/// <summary>Batches beyond forget and retain that a method asks the batcher to build.</summary>
[Flags]
public enum BatchExtras
{
    None = 0,
    /// The forget questions answered with a refusal (IdkNLL, IdkDPO).
    Idk = 1,
    /// The forget questions answered with another forget item's answer (SalUn's relabelling).
    Relabelled = 2,
}

/// <summary>
/// One step's data: forget examples, the retain examples paired with them, and the extras the method asked for.
/// All are right-padded <see cref="TokenBatch"/>es of the same size, row i of each derived from forget item i.
/// </summary>
public sealed record UnlearningBatch(TokenBatch Forget, TokenBatch Retain, TokenBatch? Idk = null, TokenBatch? Relabelled = null)
    : IDisposable
{
    public TokenBatch RequireIdk() => Idk ?? throw new InvalidOperationException("the batch has no IdK answers; the method must ask for BatchExtras.Idk");

    public TokenBatch RequireRelabelled() =>
        Relabelled ?? throw new InvalidOperationException("the batch has no relabelled answers; the method must ask for BatchExtras.Relabelled");

    public void Dispose()
    {
        Forget.Dispose();
        Retain.Dispose();
        Idk?.Dispose();
        Relabelled?.Dispose();
    }
}
