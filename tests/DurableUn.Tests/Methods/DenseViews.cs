using DurableUn.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

/// <summary>
/// Test double for <see cref="DurableUn.Methods.UnlearningContext.MakeView"/> over a dense model: a new CausalLm whose
/// projections hold the source model's own weight Parameters and apply a transform to them in forward, so a loss on
/// the view back-propagates into the source's parameters (what the QLoRA regime does with the adapter's A and B).
/// Embeddings, norms and lm_head are copied by value; they are frozen in these tests.
/// </summary>
internal static class DenseViews
{
    public static CausalLm Of(CausalLm source, Func<Tensor, Tensor> transform)
    {
        var weights = source.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        var view = new CausalLm(source.Config, new Factory(weights, transform));
        using (no_grad())
            foreach (var (name, p) in view.named_parameters())
                if (!ReferenceEquals(p, weights[name])) p.requires_grad_(false).copy_(weights[name]);
        return view;
    }

    private sealed class Factory(Dictionary<string, Parameter> weights, Func<Tensor, Tensor> transform) : IProjectionFactory
    {
        public nn.Module<Tensor, Tensor> Create(string path, int inFeatures, int outFeatures, bool bias) =>
            new TransformedLinear(weights[path + ".weight"], transform);
    }

    private sealed class TransformedLinear : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter weight;
        private readonly Func<Tensor, Tensor> _transform;

        public TransformedLinear(Parameter shared, Func<Tensor, Tensor> transform) : base("TransformedLinear")
        {
            (weight, _transform) = (shared, transform);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => nn.functional.linear(x, _transform(weight));   // (…, in) → (…, out)
    }
}
