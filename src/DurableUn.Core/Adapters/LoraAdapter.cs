using DurableUn.Tensors;
using DurableUn.Checkpoints;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// A LoRA adapter as a value: its options and, per projection path (<c>model.layers.0.self_attn.q_proj</c>), the A and B
/// matrices. <see cref="QLoraModel.Adapter"/> holds the live trainable Parameters; <see cref="Snapshot"/> gives detached
/// copies (the frozen reference of NPO/KL/DPO/RMU, a checkpoint). Initialisation follows PEFT (init_lora_weights=True).
/// Not: file I/O (see <see cref="PeftAdapterFiles"/>); not: merging (see Deployment).
/// </summary>
public sealed record LoraAdapter(LoraOptions Options, IReadOnlyDictionary<string, LoraWeights> Layers)
{
    /// <summary>Every A and B, in path order.</summary>
    public IEnumerable<Tensor> Tensors => Layers.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => new[] { kv.Value.A, kv.Value.B });

    /// <summary>
    /// PEFT's init: B = 0 (so the adapted model starts equal to the base) and A ~ nn.Linear's default
    /// kaiming_uniform_(a=√5), whose bound is gain·√(3/fan_in) with gain = √(2/(1+a²)) = √(1/3), i.e. U(−1/√in, 1/√in).
    /// </summary>
    public static LoraAdapter Initialize(LlamaConfig config, LoraOptions options, long seed)
    {
        options.Validate();
        using var generator = new Generator((ulong)seed);
        var layers = new Dictionary<string, LoraWeights>(StringComparer.Ordinal);
        foreach (var (path, outFeatures, inFeatures) in TargetShapes(config, options))
        {
            var bound = 1.0 / Math.Sqrt(inFeatures);
            var a = rand([options.Rank, inFeatures], generator: generator).Times(2 * bound).Minus(bound);   // (r, in)
            layers.Add(path, new LoraWeights(a, zeros(outFeatures, options.Rank)));                  // B: (out, r)
        }
        return new LoraAdapter(options, layers);
    }

    /// <summary>Detached fp32 copies of every matrix: cheap (r·(in+out) per projection) and independent of training.</summary>
    public LoraAdapter Snapshot() => Map(t => t.detach().clone());

    /// <summary>A new adapter with <paramref name="transform"/> applied to every A and B, without gradient history.</summary>
    public LoraAdapter Map(Func<Tensor, Tensor> transform)
    {
        using var _ = no_grad();
        return this with
        {
            Layers = Layers.ToDictionary(kv => kv.Key, kv => new LoraWeights(transform(kv.Value.A), transform(kv.Value.B)), StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Throws <see cref="CheckpointFormatException"/> (source = <paramref name="source"/>) unless the adapter covers exactly
    /// the target projections of <paramref name="config"/> with A [r, in] and B [out, r], fp32-convertible and finite.
    /// </summary>
    public LoraAdapter ValidateAgainst(LlamaConfig config, string source)
    {
        try { Options.Validate(); }
        catch (ArgumentException e) { throw new CheckpointFormatException(source, null, null, e.Message); }
        var expected = TargetShapes(config, Options).ToList();
        foreach (var (path, outFeatures, inFeatures) in expected)
        {
            if (!Layers.TryGetValue(path, out var w))
                throw new CheckpointFormatException(source, path, null,
                    $"target module {LoraTargets.ModuleName(path)} of the base has no adapter here (target_modules and the tensors disagree)");
            Check(source, $"{path}.lora_A.weight", w.A, [Options.Rank, inFeatures]);
            Check(source, $"{path}.lora_B.weight", w.B, [outFeatures, Options.Rank]);
        }
        var known = expected.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Layers.Keys.Order(StringComparer.Ordinal))
            if (!known.Contains(path))
                throw new CheckpointFormatException(source, path, null, "is not a target projection of this base (unknown path or not in target_modules)");
        return this;
    }

    /// <summary>(path, out, in) of every projection the options target, in layer order.</summary>
    internal static IEnumerable<(string Path, long Out, long In)> TargetShapes(LlamaConfig config, LoraOptions options)
    {
        var targets = options.ResolvedTargets;
        return LlamaCheckpointLayout.ExpectedParameterShapes(config)
            .Where(p => p.Name.EndsWith("_proj.weight", StringComparison.Ordinal))
            .Select(p => (Path: p.Name[..^".weight".Length], Out: p.Shape[0], In: p.Shape[1]))
            .Where(p => targets.Contains(LoraTargets.ModuleName(p.Path)));
    }

    private static void Check(string source, string name, Tensor t, long[] shape)
    {
        if (!t.shape.SequenceEqual(shape))
            throw new CheckpointFormatException(source, name, ParameterShape.Format(t.shape),
                $"has shape {ParameterShape.Format(t.shape)} but the base and the adapter's r need {ParameterShape.Format(shape)}");
        if (!t.is_floating_point())
            throw new CheckpointFormatException(source, name, t.dtype.ToString(), "must be a floating-point tensor");
        using var finite = t.detach().isfinite().all();
        if (!finite.item<bool>()) throw new CheckpointFormatException(source, name, null, "holds NaN or Inf values");
    }
}
