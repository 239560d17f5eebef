using DurableUn.Tensors;
using DurableUn.Model;
using DurableUn.Quantization;
using DurableUn.Adapters;
using DurableUn.Deployment;
using DurableUn.Pipelines;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="Saf"/>. The paper's values are not public; each default says where it comes from.</summary>
public sealed record SafOptions : IMethodOptions
{
    /// Same as the baselines (open-unlearning), so SAF is compared at equal budget [inferred].
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// The forget objective L_f: npo (bounded, so the ascent direction stays meaningful near collapse) or ga.
    public ForgetLoss ForgetLoss { get; init; } = ForgetLoss.Npo;
    /// β of NPO (Zhang et al. 0.1).
    public double Beta { get; init; } = 0.1;
    /// <summary>
    /// Q in Q_STE, the deployment precision training sees: int4 (the paper's headline precision; group 64 per
    /// docs/design.md#precisions), nf4[:gN], fp4[:gN] (bitsandbytes blocksize 64) or int8 (per row) applied to each
    /// trainable weight, or the model-* name of one of them; or merged-nf4, merged-int4, merged-int8, which round each
    /// adapted projection's merged weight W + scale·B·A exactly as that merge deployment does (merged-nf4 on the base's
    /// own blocks), so only where a LoRA sits on a frozen base. The groups are the deployment's own
    /// (<see cref="Deployment.Precision.AlongRows"/>, <see cref="Deployer.MergeSpec"/>). What is trainable depends on the
    /// pipeline: the adapter's A and B (adapter, fresh-adapter), or every projection (full: int4 there is exactly
    /// model-int4's rounding). The default is int4; the study and the unlearn command start from
    /// <see cref="ForPipeline"/>. The older keys <c>quantizer=</c> and <c>group_size=</c> are read into it (<see cref="Upgrade"/>).
    /// </summary>
    public Precision Precision { get; init; } = Precision.Int4;
    /// ρ, radius of the SAM ball (davda54/sam default 0.05).
    public double Rho { get; init; } = 0.05;
    /// λ, weight of the quantization-aware forget term(s).
    public double Lambda { get; init; } = 1.0;
    /// α, weight of the retain NLL.
    public double RetainWeight { get; init; } = 1.0;
    /// <summary>
    /// Also add the plain L_f(θ) (weighted by λ). The certificate's precision set includes BF16, and a model trained
    /// only through Q_STE(θ+ε) is free to remember at full precision; this term keeps the unquantized model forgetting.
    /// </summary>
    public bool IncludeBf16Forget { get; init; } = true;

    public void Validate()
    {
        OptionChecks.Common(this);
        OptionChecks.Positive(Beta, "beta");
        if (Precision.Space is not (PrecisionSpace.Adapter or PrecisionSpace.Model or PrecisionSpace.Merged) ||
            Precision.Format?.Format is not (QuantFormat.Int4 or QuantFormat.Nf4 or QuantFormat.Fp4 or QuantFormat.Int8))
            throw OptionChecks.Bad("precision", Precision,
                "must be int4[:gN], nf4[:gN], fp4[:gN], int8, a model-* precision of those formats, or merged-nf4, merged-int4, merged-int8 (SAF fake-quantizes what the deployment rounds)");
        OptionChecks.NonNegative(Rho, "rho");
        OptionChecks.NonNegative(Lambda, "lambda");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }

    /// <summary>
    /// SAF rounds what the pipeline ships after unlearning (docs/methods.md#pipelines): the adapter pipeline ships its
    /// adapter, quantized in adapter space (int4, the study's Q-INT4); fresh-adapter's new LoRA on the NF4 target is
    /// shipped merged into that base, as PEFT's merge into a 4-bit base does (merged-nf4; in adapter space its B leaves
    /// the zero code wholesale and nothing rounds back); full ships the whole model (model-int4, the study's Q-INT4
    /// there). Chosen from what each pipeline deploys, not from any measured recovery.
    /// </summary>
    public IMethodOptions ForPipeline(Pipeline pipeline) =>
        this with { Precision = pipeline == Pipeline.FreshAdapter ? Precision.MergedNf4 : pipeline.Int4() };

    /// A merged-* or adapter precision in the full pipeline, which has no adapter (<see cref="PipelineDeployments.Refusal"/>).
    public void CheckPipeline(Pipeline pipeline)
    {
        if (Precision.Space == PrecisionSpace.Merged && pipeline.Refusal(Precision) is { } why) throw OptionChecks.Bad("precision", Precision, why);
    }

    /// <summary>
    /// <c>quantizer=int4|nf4|int8</c> and <c>group_size=N</c>, SAF's keys before it took a <see cref="Precision"/>,
    /// become one <c>precision=format[:gN]</c> (a key left out keeps this record's value; int8 ignores the group, as
    /// it always did). Setting them beside <c>precision=</c> is ambiguous and fails.
    /// </summary>
    public IReadOnlyList<string> Upgrade(IReadOnlyList<string> assignments)
    {
        static string Key(string a) => a.IndexOf('=') is > 0 and var at ? a[..at].Trim() : a;
        static string Value(string a) => a[(a.IndexOf('=') + 1)..].Trim();
        var legacy = assignments.Where(a => Key(a) is "quantizer" or "group_size").ToList();
        if (legacy.Count == 0) return assignments;
        if (assignments.Any(a => Key(a) == "precision"))
            throw new ArgumentException("precision is set beside quantizer/group_size; set precision=format[:gN] alone", "precision");
        var format = Precision.Name.Split(':')[0];
        var group = Precision.Format?.BlockSize;
        foreach (var a in legacy)
            if (Key(a) == "quantizer")
                format = Value(a).ToLowerInvariant() switch
                {
                    "int4" or "nf4" or "int8" => Value(a).ToLowerInvariant(),
                    _ => throw OptionChecks.Bad("quantizer", Value(a), "must be int4, nf4 or int8"),
                };
            else
                group = int.TryParse(Value(a), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var g) && g >= 1
                    ? g : throw OptionChecks.Bad("group_size", Value(a), "must be an integer ≥ 1");
        var name = format == "int8" || group is null ? format : $"{format}:g{group}";
        try { Precision.Parse(name); }
        catch (ArgumentException e) { throw OptionChecks.Bad("group_size", group!, e.Message); }
        return [.. assignments.Except(legacy), $"precision={name}"];
    }
}

/// <summary>
/// DurableUn-SAF, Sharpness-Aware Forgetting (Khan &amp; Sohel 2026, arXiv:2605.02196). Objective:
/// <code>
///   min_θ  α·NLL_r(θ) + λ·[ L_f(Q_STE(θ + ε)) + L_f(θ) ],   ε = ρ·g/(‖g‖₂ + 1e-12),   g = ∇θ L_f(Q_STE(θ))
/// </code>
/// Q_STE fake-quantizes the trainable weights (INT4 groupwise by default) with straight-through gradients
/// (<see cref="FakeQuant"/>); ε is SAM's first-order worst case inside the ρ-ball
/// (docs/methods.md#sam-and-fake-quantization), global norm over all trainable tensors, detached, so the step uses the
/// gradient at the perturbed, quantized point.
/// <para>Only the abstract is public (docs/methods.md#durableun-saf). From it: a quantization-aware objective whose
/// gradients pass INT4 rounding by STE, and the name "sharpness-aware". Our reading [inferred]: the SAM ball around the
/// weights, ascent on the quantized forget loss, the choice of L_f (NPO default), the retain term, and the optional
/// L_f(θ).</para> The perturbation is never written into the parameters (in-place edits would corrupt autograd's saved
/// tensors): views of the model built once (<see cref="UnlearningContext.MakeView"/>) apply w ↦ Q_STE(w) and w ↦
/// Q_STE(w + ε_w), ε_w found by the parameter object itself.
/// Not: ASAM; not: quantizing anything but the trainable weights or, at a merged-* precision, the merged weights they make.
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class Saf(SafOptions options) : IUnlearningMethod
{
    private readonly Dictionary<Tensor, Tensor> _epsilon = new(ReferenceEqualityComparer.Instance);
    private CausalLm? _quantized;
    private CausalLm? _perturbed;

    public IMethodOptions Options => options;

    public void Prepare(UnlearningContext context)
    {
        if (options.Precision.Space == PrecisionSpace.Merged)
        {
            var makeMerged = context.MakeMergedView ?? throw OptionChecks.Bad("precision", options.Precision,
                "rounds a LoRA merged into its base, and this model has no adapter on a frozen base (use int4 or a model-* precision)");
            _quantized = makeMerged(w => w, FakeQuantizeMerged);
            _perturbed = makeMerged(w => w.Add(Epsilon(w)), FakeQuantizeMerged);
            return;
        }
        var makeView = context.MakeView ?? throw new ArgumentException("SAF needs UnlearningContext.MakeView (a fake-quantized view of the model)");
        foreach (var p in context.Trainable)
            try { Precision.AlongRows(options.Precision.Format!, p.shape[^1], "a trainable weight"); }
            catch (ArgumentException e) { throw OptionChecks.Bad("precision", options.Precision, e.Message); }
        _quantized = makeView(FakeQuantize);
        _perturbed = makeView(w => FakeQuantize(w.Add(Epsilon(w))));
    }

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch)
    {
        var (quantized, perturbed) = (_quantized, _perturbed) is ({ } q, { } e) ? (q, e) : throw new InvalidOperationException("Saf.Prepare must run before Loss");
        var forget = batch.Forget;
        var reference = ForgetTerm.NeedsReference(options.ForgetLoss) ? Scored.ReferenceLogitsOf(context.Reference, forget) : null;
        Tensor ForgetOn(CausalLm m) =>
            ForgetTerm.Of(options.ForgetLoss, new Scored(m.Forward(forget.InputIds).Logits, forget.Labels, reference), options.Beta);

        // Ascent: g at the quantized point, ε = ρ·g/‖g‖ kept detached for the perturbed view's transform.
        var g = Gradients.Of(ForgetOn(quantized), context.Trainable, retainGraph: false, allowUnused: true);
        var norm = g.Select(t => t.Square().sum()).Aggregate((a, b) => a.Add(b)).sqrt();
        for (var i = 0; i < g.Length; i++) _epsilon[context.Trainable[i]] = (g[i].Times(options.Rho) / norm.Plus(1e-12)).detach();

        var forgetTerm = ForgetOn(perturbed);
        if (options.IncludeBf16Forget) forgetTerm = forgetTerm.Add(ForgetOn(context.Model));
        return UnlearningLosses.Nll(Scored.Of(context.Model, batch.Retain)).Times(options.RetainWeight).Add(forgetTerm.Times(options.Lambda));
    }

    /// <summary>
    /// Q_STE for the chosen format: the value of the quantized weight, the gradient of the identity. With scales taken
    /// from w itself every element lies inside its group's range, so the straight-through gradient is exactly 1; it is
    /// written here as value.detach() + (w − w.detach()) rather than taken from FakeQuant's in-range mask, which can
    /// mark a group's largest element out of range by one ulp ((absmax/7)·7 &lt; absmax in float32) and zero its
    /// gradient.
    /// </summary>
    public Tensor FakeQuantize(Tensor w)
    {
        var spec = Precision.AlongRows(options.Precision.Format!, w.shape[^1], "a trainable weight");   // a LoRA B's short row is one group
        return StraightThrough(w, detached => spec.Format switch
        {
            QuantFormat.Int4 => FakeQuant.Int4(detached, spec.BlockSize!.Value),
            QuantFormat.Nf4 => FakeQuant.Nf4(detached, spec.BlockSize!.Value),
            QuantFormat.Fp4 => FakeQuant.Fp4(detached, spec.BlockSize!.Value),
            QuantFormat.Int8 => FakeQuant.Int8(detached),
            _ => throw new InvalidOperationException($"precision {options.Precision} is not supported"),
        });
    }

    /// <summary>
    /// Q_STE of a merged weight W + scale·B·A (out, in) whose base is <paramref name="baseWeight"/>: the value the
    /// merged-* deployment stores (<see cref="Deployer.MergeSpec"/>: merged-nf4 on the base's own blocks, with its
    /// double quantization; a dense base, which only tests and benchmarks use, takes QLoRA's defaults, blocks of 64
    /// with double quantization), the gradient of the identity. A merged weight that does not fit the deployment's
    /// groups fails here as the deployment would.
    /// </summary>
    public Tensor FakeQuantizeMerged(Tensor w, FrozenWeight baseWeight)
    {
        var spec = Deployer.MergeSpec(options.Precision, baseWeight, "a merged weight", DenseBaseOptions);
        return StraightThrough(w, detached => Quantizer.RoundTrip(detached, spec, "a merged weight"));   // (out, in) fp32
    }

    /// QLoRA's base defaults, for the merge spec of a dense base.
    private static readonly QLoraOptions DenseBaseOptions = new();

    /// <summary>value(w) in forward, the identity's gradient in backward: round(w.detach()) + (w − w.detach()).</summary>
    private static Tensor StraightThrough(Tensor w, Func<Tensor, Tensor> round)
    {
        using var scope = NewDisposeScope();
        var detached = w.detach();
        return round(detached).detach().Add(w - detached).MoveToOuterDisposeScope();
    }

    private Tensor Epsilon(Tensor w) =>
        _epsilon.TryGetValue(w, out var e) ? e
        : throw new InvalidOperationException("the view transformed a weight that is not one of UnlearningContext.Trainable (views must pass the Parameter itself)");
}
