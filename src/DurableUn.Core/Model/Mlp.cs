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
    private Tensor? _gateUp;   // (2·ffn, d) while a FuseProjections scope lives; owned
    private readonly long _ffn;

    public Mlp(LlamaConfig c, string path, IProjectionFactory projections) : base("Mlp")
    {
        _gate = projections.Create($"{path}.gate_proj", c.HiddenSize, c.IntermediateSize, c.MlpBias);
        _up = projections.Create($"{path}.up_proj", c.HiddenSize, c.IntermediateSize, c.MlpBias);
        _down = projections.Create($"{path}.down_proj", c.IntermediateSize, c.HiddenSize, c.MlpBias);
        _ffn = c.IntermediateSize;
        RegisterComponents();
    }

    /// <summary>Concatenates gate and up into one matmul for inference (see <see cref="FusedProjections"/>); false when they cannot be.</summary>
    internal bool Fuse(ScalarType dtype)
    {
        _gateUp ??= FusedProjections.Fuse(dtype, _gate, _up);
        return _gateUp is not null;
    }

    internal void Unfuse()
    {
        _gateUp?.Dispose();
        _gateUp = null;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h;
        if (_gateUp is not null)
        {
            var gu = nn.functional.linear(x, _gateUp);                                       // (B, T, 2·ffn)
            h = nn.functional.silu(gu.narrow(-1, 0, _ffn)).mul_(gu.narrow(-1, _ffn, _ffn));  // (B, T, ffn)
        }
        else
            h = nn.functional.silu(_gate.call(x)) * _up.call(x);   // (B, T, ffn)
        return _down.call(h).MoveToOuterDisposeScope();             // (B, T, d)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Unfuse();
        base.Dispose(disposing);
    }
}
