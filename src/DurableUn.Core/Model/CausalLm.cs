using DurableUn.Tensors;
using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>What one forward pass returns.</summary>
/// <param name="Logits">(B, T, V) next-token logits.</param>
/// <param name="HiddenStates">When asked for: the input embeddings and every decoder layer's output, each
/// (B, T, d), as transformers' <c>output_hidden_states</c> (index ℓ+1 is layer ℓ's output; RMU reads one).</param>
public sealed record CausalLmOutput(Tensor Logits, IReadOnlyList<Tensor>? HiddenStates);

/// <summary>
/// A Llama-family causal language model (transformers LlamaForCausalLM) whose parameter names equal Hugging
/// Face's: <c>model.embed_tokens.weight</c>, <c>model.layers.{i}.self_attn.q_proj.weight</c>, …, <c>lm_head.weight</c>.
/// Its projections come from the <see cref="IProjectionFactory"/> given at construction, so the model never knows
/// whether they are dense, NF4 + LoRA, or fake-quantized. Embeddings, norms and lm_head are always dense.
/// Not: loading (see Checkpoints), generation (see <see cref="Generation"/>), training.
/// </summary>
public sealed class CausalLm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "model")] private readonly LlamaBackbone _backbone;
    [ComponentName(Name = "lm_head")] private readonly Linear? _lmHead;
    private readonly RotaryEmbedding _rope;

    public CausalLm(LlamaConfig config, IProjectionFactory projections) : base("CausalLm")
    {
        Config = config.Validate();
        _backbone = new LlamaBackbone(config, projections);
        _lmHead = config.TieWordEmbeddings ? null : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        _rope = new RotaryEmbedding(config);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    private bool _fused;

    /// <summary>
    /// Until the returned scope is disposed, q/k/v and gate/up run as one matmul each wherever their weights can be
    /// fused (<see cref="FusedProjections"/>): for inference on weights that do not change meanwhile (generation makes
    /// one per call). The fused copies cost one more copy of those weights (tiny preset ≈ 2.4 MB fp32) and are freed
    /// with the scope. Nested scopes are no-ops; projections with an adapter keep their own matmuls.
    /// </summary>
    public ProjectionFusion FuseProjections()
    {
        if (_fused) return new ProjectionFusion(null, true);
        var dtype = HiddenDtype;
        var any = false;
        foreach (var layer in _backbone.Layers) any |= layer.Fuse(dtype);
        _fused = any;
        return new ProjectionFusion(any ? this : null, any);
    }

    /// <summary>The scope of <see cref="FuseProjections"/>; <see cref="Active"/> says whether anything was fused.</summary>
    public sealed class ProjectionFusion(CausalLm? owner, bool active) : IDisposable
    {
        public bool Active { get; } = active;

        public void Dispose()
        {
            if (owner is null || !owner._fused) return;
            foreach (var layer in owner._backbone.Layers) layer.Unfuse();
            owner._fused = false;
        }
    }

    /// <summary>Logits only, for callers that need nothing else: (B, T) ids → (B, T, V).</summary>
    public override Tensor forward(Tensor inputIds) => Forward(inputIds).Logits;

    /// <param name="inputIds">(B, T) token ids.</param>
    /// <param name="attentionMask">(B, T_past + T): 1 for real tokens, 0 for padding; null when nothing is padded.</param>
    /// <param name="cache">Keys/values of earlier tokens; appended to.</param>
    /// <param name="outputHiddenStates">Also return the embeddings and every layer's output.</param>
    public CausalLmOutput Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null, bool outputHiddenStates = false)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (inputIds.shape[0], inputIds.shape[1]);
        var past = cache?.Length ?? 0;
        var positions = PositionIds(b, t, past, attentionMask);                      // (B, T)
        var h = _backbone.Embed(inputIds);                                            // (B, T, d)
        var (cos, sin) = _rope.CosSin(positions, h.dtype);                            // (B, T, hd) each
        var mask = attentionMask is null && past == 0
            ? null                                                                    // plainly causal
            : AttentionMask.Causal(b, t, past, attentionMask, h.dtype);               // (B, 1, T, T_total)
        var (logits, hidden) = Layers(h, cos, sin, mask, cache, outputHiddenStates);
        logits.MoveToOuterDisposeScope();
        if (hidden is not null) foreach (var s in hidden) s.MoveToOuterDisposeScope();
        return new CausalLmOutput(logits, hidden);
    }

    /// <summary>
    /// One decoding step whose position-dependent inputs the caller made once for the whole generation: rotary
    /// tables (B, T, hd) for this step's positions and the additive mask (B, 1, T, T_total). Same arithmetic as
    /// <see cref="Forward"/>, without rebuilding positions and mask from the padding mask every step.
    /// </summary>
    /// <returns>(B, T, V) logits.</returns>
    internal Tensor Step(Tensor inputIds, Tensor cos, Tensor sin, Tensor mask, KvCache cache)
    {
        using var scope = NewDisposeScope();
        var h = _backbone.Embed(inputIds);                                            // (B, T, d)
        return Layers(h, cos, sin, mask, cache, false).Logits.MoveToOuterDisposeScope();
    }

    /// <summary>cos and sin (B, T, hd) for <paramref name="positions"/> (B, T), in the dtype of the hidden states.</summary>
    internal (Tensor Cos, Tensor Sin) RotaryTables(Tensor positions) => _rope.CosSin(positions, _backbone.EmbedWeight.dtype);

    /// <summary>dtype of the hidden states (the embeddings'), which the additive mask must match.</summary>
    internal ScalarType HiddenDtype => _backbone.EmbedWeight.dtype;

    private (Tensor Logits, List<Tensor>? Hidden) Layers(Tensor h, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, bool outputHiddenStates)
    {
        var hidden = outputHiddenStates ? new List<Tensor> { h } : null;
        (Tensor, Tensor)? heads = _fused ? RotaryEmbedding.HeadTables(cos, sin) : null;   // once per forward, (B, T, 1, hd)
        for (var i = 0; i < _backbone.Layers.Count; i++)
        {
            h = _backbone.Layers[i].Forward(h, cos, sin, mask, cache, i, heads);
            hidden?.Add(h);
        }
        h = _backbone.Norm.call(h);
        var logits = _lmHead is null
            ? nn.functional.linear(h, _backbone.EmbedWeight)                         // tied: (B, T, d) · (V, d)ᵀ
            : _lmHead.call(h);                                                        // (B, T, V)
        return (logits, hidden);
    }

    /// <summary>Positions count real tokens only, so a left-padded prompt starts at 0 (transformers' generate).</summary>
    private static Tensor PositionIds(long b, long t, long past, Tensor? attentionMask)
    {
        if (attentionMask is null)
            return ScalarOps.Range(past, past + t).unsqueeze(0).expand(b, t);
        var counted = attentionMask.to_type(ScalarType.Int64).cumsum(1).Minus(1);          // (B, T_total)
        return counted.AtLeast(0)[.., (int)past..];
    }
}

/// <summary>The <c>model.*</c> part of LlamaForCausalLM: embeddings, decoder layers and the final norm.</summary>
internal sealed class LlamaBackbone : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "embed_tokens")] private readonly Embedding _embed;
    [ComponentName(Name = "layers")] private readonly ModuleList<DecoderLayer> _layers;
    [ComponentName(Name = "norm")] private readonly RmsNorm _norm;

    public LlamaBackbone(LlamaConfig c, IProjectionFactory projections) : base("LlamaModel")
    {
        _embed = nn.Embedding(c.VocabSize, c.HiddenSize);
        using (no_grad()) nn.init.normal_(_embed.weight!, 0, 0.02);
        _layers = new ModuleList<DecoderLayer>(
            Enumerable.Range(0, c.NumHiddenLayers).Select(i => new DecoderLayer(c, $"model.layers.{i}", projections)).ToArray());
        _norm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        RegisterComponents();
    }

    public ModuleList<DecoderLayer> Layers => _layers;
    public RmsNorm Norm => _norm;
    public Tensor EmbedWeight => _embed.weight!;
    public Tensor Embed(Tensor ids) => _embed.call(ids);

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("Use CausalLm.Forward; the backbone alone has no rotary tables.");
}
