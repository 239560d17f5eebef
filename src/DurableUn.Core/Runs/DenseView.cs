using DurableUn.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Runs;

/// <summary>
/// A view of a dense model for DurableUn-SAF in the full pipeline: every projection multiplies with
/// <c>transform(W)</c> where W is the trainable model's own Parameter, so a loss on the view back-propagates into the
/// projections the whole-model deployment quantizes. Embeddings, norms and lm_head, which no deployment quantizes,
/// share the trainable tensors' storage but not their gradients: they learn from SAF's full-precision terms only.
/// Not: a deployment (nothing is rounded for good; the view is rebuilt per run).
/// </summary>
internal static class DenseView
{
    public static CausalLm Of(CausalLm trainable, Func<Tensor, Tensor> transform)
    {
        var parameters = trainable.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var view = new CausalLm(trainable.Config, new Factory(parameters, transform));
        using var _ = no_grad();
        foreach (var (name, p) in view.named_parameters())   // embeddings, norms, lm_head: the projections own none
        {
            p.requires_grad_(false);
            p.set_(parameters[name].detach());   // same storage: the view sees every optimizer step
        }
        return view;
    }

    private sealed class Factory(IReadOnlyDictionary<string, Parameter> parameters, Func<Tensor, Tensor> transform) : IProjectionFactory
    {
        public nn.Module<Tensor, Tensor> Create(string path, int inFeatures, int outFeatures, bool bias) =>
            bias ? throw new NotSupportedException($"{path}: projections with a bias are not supported")
                 : new TransformedLinear(() => parameters[$"{path}.weight"], transform);
    }

    /// <summary>
    /// y = x·transform(W)ᵀ with W the trainable model's Parameter, reached through a delegate: TorchSharp registers a
    /// module's Parameter-typed fields, and the view must neither own nor freeze the trainable model's weights.
    /// </summary>
    private sealed class TransformedLinear(Func<Parameter> weight, Func<Tensor, Tensor> transform) : nn.Module<Tensor, Tensor>("TransformedLinear")
    {
        public override Tensor forward(Tensor x) => nn.functional.linear(x, transform(weight()));   // (…, in) → (…, out)
    }
}
