using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>
/// Gradients of a loss with respect to the trainable parameters, returned as detached tensors and never accumulated
/// into <c>.grad</c>: SalUn's saliency, SURE's row norms and SAF's ascent direction must not leak into the step's
/// own gradient. Every trainable parameter must take part in the loss (torch.autograd.grad, allow_unused off).
/// </summary>
internal static class Gradients
{
    public static Tensor[] Of(Tensor loss, IReadOnlyList<Parameter> parameters, bool retainGraph)
    {
        var grads = autograd.grad([loss], parameters.Cast<Tensor>().ToList(), retain_graph: retainGraph);
        return grads.Select(g => g.detach()).ToArray();
    }
}
