using static TorchSharp.torch;

namespace DurableUn.Checkpoints;

/// <summary>
/// Weights are checked where they enter: a NaN or Inf in any floating-point tensor of a checkpoint is an error
/// naming the file and tensor, so no command computes with (or exports) a model that cannot give a number.
/// </summary>
public static class FiniteWeights
{
    public static void Check(IReadOnlyDictionary<string, Tensor> tensors, string file)
    {
        foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!t.is_floating_point()) continue;
            using var finite = t.isfinite().all();
            if (!finite.item<bool>()) throw new CheckpointFormatException(file, name, null, "holds NaN or Inf values");
        }
    }
}
