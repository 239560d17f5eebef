using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>
/// Gradients of a loss with respect to the trainable parameters, returned as detached tensors and never accumulated
/// into <c>.grad</c>: SalUn's saliency, SURE's row norms and SAF's ascent direction must not leak into the step's
/// own gradient. Every trainable parameter must take part in the loss (torch.autograd.grad, allow_unused off) unless
/// <c>allowUnused</c> says otherwise, when one that does not gets a zero gradient: SAF's fake-quantized view
/// of a dense model reaches only the projections, which are what a deployment quantizes.
/// </summary>
internal static class Gradients
{
    public static Tensor[] Of(Tensor loss, IReadOnlyList<Parameter> parameters, bool retainGraph, bool allowUnused = false)
    {
        var grads = autograd.grad([loss], parameters.Cast<Tensor>().ToList(), retain_graph: retainGraph, allow_unused: allowUnused);
        return grads.Select((g, i) => g is null || g.IsInvalid ? zeros_like(parameters[i]) : g.detach()).ToArray();
    }
}
