namespace DurableUn.ScaleOut;

/// <summary>A Slurm command is missing or failed; the message says which, and what it printed.</summary>
public sealed class SlurmException(string message, Exception? inner = null) : Exception(message, inner);
