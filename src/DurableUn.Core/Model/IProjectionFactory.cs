using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// Makes the linear projections of a <see cref="CausalLm"/> (q/k/v/o, gate/up/down). The model is built with one
/// of these and never learns what a projection is inside: a dense <c>Linear</c>, an NF4 base with a LoRA adapter,
/// or a fake-quantized deployment copy all reach it through this seam (ARCHITECTURE.md, "projections").
/// </summary>
public interface IProjectionFactory
{
    /// <param name="path">Hugging Face module path, e.g. <c>model.layers.0.self_attn.q_proj</c>.</param>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="outFeatures">Output width; the weight is [outFeatures, inFeatures] as in nn.Linear.</param>
    /// <param name="bias">Whether the projection has a bias (Llama: no).</param>
    nn.Module<Tensor, Tensor> Create(string path, int inFeatures, int outFeatures, bool bias);
}

/// <summary>Plain trainable <c>nn.Linear</c> projections, initialised as transformers does (normal, std 0.02).</summary>
public sealed class DenseProjections(double initStd = 0.02) : IProjectionFactory
{
    public nn.Module<Tensor, Tensor> Create(string path, int inFeatures, int outFeatures, bool bias)
    {
        var linear = nn.Linear(inFeatures, outFeatures, hasBias: bias);
        using (no_grad())
        {
            nn.init.normal_(linear.weight, 0, initStd);
            if (linear.bias is { } b) nn.init.zeros_(b);
        }
        return linear;
    }
}
