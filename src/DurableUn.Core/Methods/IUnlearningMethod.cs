using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>
/// An unlearning method: a loss over a forget/retain batch, plus the two hooks some methods need.
/// Every method trains the same parameters (<see cref="UnlearningContext.Trainable"/>); the loop is <see cref="Unlearner"/>.
/// </summary>
public interface IUnlearningMethod
{
    /// The options it was built with (lr, steps and batch size drive the loop).
    IMethodOptions Options { get; }

    /// Which extra batches the batcher must build.
    BatchExtras Extras => BatchExtras.None;

    /// Once before training, at θ0: e.g. SalUn's saliency mask, RMU's control vector. Checks what the method needs.
    void Prepare(UnlearningContext context) { }

    /// The scalar loss to minimise on one batch.
    Tensor Loss(UnlearningContext context, UnlearningBatch batch);

    /// After gradients are accumulated and clipped, before the optimizer step (SalUn, SURE masks).
    void EditGradients(UnlearningContext context) { }
}
