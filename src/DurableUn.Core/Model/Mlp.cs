using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>SwiGLU feed-forward of Llama: down(silu(gate(x)) ⊙ up(x)) (transformers LlamaMLP).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_proj")] private readonly nn.Module<Tensor, Tensor> _gate;
    [ComponentName(Name = "up_proj")] private readonly nn.Module<Tensor, Tensor> _up;
    [ComponentName(Name = "down_proj")] private readonly nn.Module<Tensor, Tensor> _down;

    public Mlp(LlamaConfig c, string path, IProjectionFactory projections) : base("Mlp")
    {
        _gate = projections.Create($"{path}.gate_proj", c.HiddenSize, c.IntermediateSize, c.MlpBias);
        _up = projections.Create($"{path}.up_proj", c.HiddenSize, c.IntermediateSize, c.MlpBias);
        _down = projections.Create($"{path}.down_proj", c.IntermediateSize, c.HiddenSize, c.MlpBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.silu(_gate.call(x)) * _up.call(x);   // (B, T, ffn)
        return _down.call(h).MoveToOuterDisposeScope();             // (B, T, d)
    }
}
