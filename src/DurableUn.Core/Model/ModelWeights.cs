using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// Moves weights between a model and a name → tensor map with Hugging Face names (what a checkpoint holds).
/// Loading copies values into the existing parameters (converting dtype), and demands an exact match of names and
/// shapes, so a renamed or missing tensor is an error naming it rather than a silently random layer.
/// A tied model accepts and ignores an <c>lm_head.weight</c> equal in shape to the embedding (some tools write it).
/// Not: quantized or adapter tensors (those have their own layouts).
/// </summary>
public static class ModelWeights
{
    /// <summary>Copies <paramref name="tensors"/> into the model's parameters; <paramref name="source"/> names them in errors.</summary>
    public static void Load(nn.Module model, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var missing = parameters.Keys.Where(k => !tensors.ContainsKey(k)).Order().ToList();
        if (missing.Count > 0) throw new ArgumentException($"{source}: tensor {missing[0]} is missing ({missing.Count} missing in all)");
        var extra = tensors.Keys.Where(k => !parameters.ContainsKey(k) && k != "lm_head.weight").Order().ToList();
        if (extra.Count > 0) throw new ArgumentException($"{source}: tensor {extra[0]} is not a parameter of this model ({extra.Count} unexpected in all)");
        using var _ = no_grad();
        foreach (var (name, p) in parameters)
        {
            var t = tensors[name];
            if (!t.shape.SequenceEqual(p.shape))
                throw new ArgumentException($"{source}: tensor {name} has shape [{string.Join(", ", t.shape)}], the model expects [{string.Join(", ", p.shape)}]");
            p.copy_(t);
        }
    }

    /// <summary>Every parameter under its Hugging Face name, detached copies in <paramref name="dtype"/> (caller disposes).</summary>
    public static Dictionary<string, Tensor> StateDict(nn.Module model, ScalarType dtype = ScalarType.Float32)
    {
        using var _ = no_grad();
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to_type(dtype).contiguous().clone());
    }
}
