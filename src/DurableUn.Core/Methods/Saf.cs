using DurableUn.Tensors;
using DurableUn.Model;
using DurableUn.Quantization;
using DurableUn.Deployment;
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
    /// Q in Q_STE, a deployment precision applied to the trainable weights: int4 (the paper's headline precision; group
    /// 64 per docs/design.md#precisions), nf4[:gN], fp4[:gN] (bitsandbytes blocksize 64) or int8 (per row), or the
    /// model-* name of one of them. The groups are the deployment's own (<see cref="Deployment.Precision.AlongRows"/>),
    /// so training sees what deployment applies. What is trainable depends on the pipeline: the adapter's A and B
    /// (adapter, fresh-adapter), or every projection of the model (full: int4 there is exactly model-int4's rounding).
    /// The older keys <c>quantizer=</c> and <c>group_size=</c> are read into it (<see cref="Upgrade"/>).
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
        if (Precision.Space is not (PrecisionSpace.Adapter or PrecisionSpace.Model) ||
            Precision.Format?.Format is not (QuantFormat.Int4 or QuantFormat.Nf4 or QuantFormat.Fp4 or QuantFormat.Int8))
            throw OptionChecks.Bad("precision", Precision,
                "must be int4[:gN], nf4[:gN], fp4[:gN], int8 or a model-* precision of those formats (SAF fake-quantizes the trainable weights)");
        OptionChecks.NonNegative(Rho, "rho");
        OptionChecks.NonNegative(Lambda, "lambda");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
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
/// Not: ASAM; not: quantizing anything but the trainable weights (the merged-into-NF4 reading is the view's business).
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
        using var scope = NewDisposeScope();
        var detached = w.detach();
        var spec = Precision.AlongRows(options.Precision.Format!, w.shape[^1], "a trainable weight");   // a LoRA B's short row is one group
        var value = spec.Format switch
        {
            QuantFormat.Int4 => FakeQuant.Int4(detached, spec.BlockSize!.Value),
            QuantFormat.Nf4 => FakeQuant.Nf4(detached, spec.BlockSize!.Value),
            QuantFormat.Fp4 => FakeQuant.Fp4(detached, spec.BlockSize!.Value),
            QuantFormat.Int8 => FakeQuant.Int8(detached),
            _ => throw new InvalidOperationException($"precision {options.Precision} is not supported"),
        };
        return value.detach().Add(w - detached).MoveToOuterDisposeScope();
    }

    private Tensor Epsilon(Tensor w) =>
        _epsilon.TryGetValue(w, out var e) ? e
        : throw new InvalidOperationException("the view transformed a weight that is not one of UnlearningContext.Trainable (views must pass the Parameter itself)");
}
