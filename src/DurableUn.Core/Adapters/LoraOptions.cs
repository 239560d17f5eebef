namespace DurableUn.Adapters;

/// <summary>
/// LoRA hyperparameters (Hu et al. 2021, arXiv:2106.09685) under PEFT's adapter_config.json names
/// (huggingface/peft tuners/lora/config.py, docs/formats.md#peft-lora-adapters). ΔW = scale · B · A with A [r, in], B
/// [out, r]. Defaults are for DurableUn's tiny models (d 64–256), with each source beside it.
/// Not: DoRA, rank/alpha patterns, fan_in_fan_out, LoRA biases (the PEFT reader rejects those as unsupported).
/// </summary>
public sealed record LoraOptions
{
    /// r. 8 is PEFT's default; QLoRA used 64 on 7B models (d 4096). At d ≤ 256, r 8 already spans 3 % of a layer.
    public int Rank { get; init; } = 8;

    /// lora_alpha. 16 as in QLoRA (artidoro/qlora); PEFT's default is 8. With r 8 this gives scale 2, i.e. α = 2r,
    /// the usual choice that lets an adapter move a tiny model within a few hundred steps at lr 1e-4…2e-4.
    public double Alpha { get; init; } = 16;

    /// lora_dropout. 0.0 as PEFT's default; QLoRA used 0.1 for 7B/13B. Off here so that a fixed seed gives the same
    /// adapter and the unlearning comparisons are not blurred by dropout noise; set it for long fine-tunes.
    public double Dropout { get; init; }

    /// use_rslora: scale α/√r (Kalajdzievski 2023, arXiv:2312.03732) instead of α/r. Off, as in PEFT.
    public bool UseRsLora { get; init; }

    /// target_modules: PEFT module names (q_proj … down_proj) or ["all-linear"]; QLoRA adapts every linear layer
    /// except lm_head, so that is the default.
    public IReadOnlyList<string> TargetModules { get; init; } = [LoraTargets.AllLinear];

    /// <summary>The factor on B·A: α/r, or α/√r with rsLoRA (peft tuners/lora/layer.py update_layer).</summary>
    public double Scale => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>The projection names (q_proj … down_proj) this adapter covers, "all-linear" expanded.</summary>
    public IReadOnlySet<string> ResolvedTargets => LoraTargets.Resolve(TargetModules);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad adapter_config.json key; returns this.</summary>
    public LoraOptions Validate()
    {
        if (Rank < 1) throw new ArgumentException($"lora r must be ≥ 1, got {Rank}");
        if (!(Alpha > 0) || double.IsInfinity(Alpha)) throw new ArgumentException($"lora lora_alpha must be a finite number > 0, got {Alpha}");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"lora lora_dropout must be in [0, 1), got {Dropout}");
        LoraTargets.Resolve(TargetModules);
        return this;
    }

    /// <summary>Value equality over the target list too (records compare lists by reference).</summary>
    public bool Equals(LoraOptions? other) =>
        other is not null && Rank == other.Rank && Alpha.Equals(other.Alpha) && Dropout.Equals(other.Dropout)
        && UseRsLora == other.UseRsLora && ResolvedTargets.SetEquals(other.ResolvedTargets);

    public override int GetHashCode() => HashCode.Combine(Rank, Alpha, Dropout, UseRsLora);
}
