using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="Rmu"/> (open-unlearning configs/trainer/RMU.yaml unless said otherwise).</summary>
public sealed record RmuOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// <summary>
    /// Decoder layer ℓ whose output is steered; null = num_layers / 2. OU and WMDP use layer 7 of 32-layer models,
    /// which does not exist in the 2–4 layer presets; the middle layer keeps RMU's intent (steer an intermediate
    /// representation, leave later layers to turn it into noise) at any depth.
    /// </summary>
    public int? Layer { get; init; }
    /// c, norm of the control vector (OU steering_coeff 2; the WMDP script uses 20 on 7B models).
    public double SteeringCoeff { get; init; } = 2.0;
    /// γ, weight of the forget (steering) term (OU gamma 1).
    public double ForgetWeight { get; init; } = 1.0;
    /// α, weight of the retain activation term (OU alpha 1; WMDP 100).
    public double RetainWeight { get; init; } = 1.0;

    public void Validate()
    {
        OptionChecks.Common(this);
        if (Layer is < 0) throw OptionChecks.Bad("layer", Layer, "must be ≥ 0");
        OptionChecks.Positive(SteeringCoeff, "steering_coeff");
        OptionChecks.NonNegative(ForgetWeight, "forget_weight");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }
}

/// <summary>
/// Representation Misdirection for Unlearning (Li et al. 2024, WMDP, arXiv:2403.03218; open-unlearning rmu.py):
/// L = γ·mean_tokens ‖h_ℓ(x_f) − c·u‖²/d + α·mean_tokens ‖h_ℓ(x_r) − h_ℓ^ref(x_r)‖²/d, tokens = label tokens.
/// u ~ U[0,1)^d normalised, drawn once per run from the seed. h_ℓ is read through
/// <c>CausalLm.Forward(outputHiddenStates: true)</c>[ℓ+1], so the model needs no hook.
/// Not: WMDP's restriction of training to layers 5–7 down_proj (the caller chooses Trainable).
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class Rmu(RmuOptions options) : IUnlearningMethod
{
    private Tensor? _control;
    private int _layer;

    public IMethodOptions Options => options;

    public void Prepare(UnlearningContext context)
    {
        var layers = context.Model.Config.NumHiddenLayers;
        _layer = options.Layer ?? layers / 2;
        if (_layer >= layers) throw OptionChecks.Bad("layer", _layer, $"must be < num_hidden_layers {layers}");
        _control?.Dispose();
        _control = ControlVector(context.Model.Config.HiddenSize, options.SteeringCoeff, context.Seed);
    }

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch)
    {
        var control = _control ?? throw new InvalidOperationException("Rmu.Prepare must run before Loss");
        var forget = Hidden(context.Model, batch.Forget.InputIds);                       // (B, T, d)
        var retain = Hidden(context.Model, batch.Retain.InputIds);                       // (B, T, d)
        Tensor retainRef;
        using (no_grad()) retainRef = Hidden(context.Reference, batch.Retain.InputIds);  // (B, T, d)
        return Of(options, forget, control, batch.Forget.Labels, retain, retainRef, batch.Retain.Labels);
    }

    public static Tensor Of(RmuOptions o, Tensor forgetHidden, Tensor control, Tensor forgetLabels,
                            Tensor retainHidden, Tensor retainReferenceHidden, Tensor retainLabels) =>
        UnlearningLosses.ActivationDistance(forgetHidden, control, forgetLabels).Times(o.ForgetWeight)
            .Add(UnlearningLosses.ActivationDistance(retainHidden, retainReferenceHidden.detach(), retainLabels).Times(o.RetainWeight));

    /// (d,) c·u/‖u‖ with u ~ U[0,1)^d from a generator seeded by the run's seed (OU: torch.rand(1,1,d)).
    public static Tensor ControlVector(int hiddenSize, double coeff, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var u = rand(hiddenSize, generator: generator);
        return (u / u.norm()).Times(coeff).DetachFromDisposeScope();
    }

    private Tensor Hidden(Model.CausalLm model, Tensor ids) => model.Forward(ids, outputHiddenStates: true).HiddenStates![_layer + 1];
}
