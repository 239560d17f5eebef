namespace DurableUn.Methods;

/// <summary>
/// One method of the catalog: its CLI name, its source, its options type with defaults, and how to build it. Built
/// only through <see cref="Of{T}"/>, so the options and the factory always agree on the type.
/// </summary>
public sealed record MethodEntry
{
    private MethodEntry(string name, string source, Type optionsType, Func<IMethodOptions> defaults, Func<IMethodOptions, IUnlearningMethod> create) =>
        (Name, Source, OptionsType, Defaults, _create) = (name, source, optionsType, defaults, create);

    private readonly Func<IMethodOptions, IUnlearningMethod> _create;

    public string Name { get; }
    /// The paper and code the method and its defaults come from.
    public string Source { get; }
    public Type OptionsType { get; }
    /// Fresh default options (with this entry's variant settings, e.g. npo-klr's retain_loss = kl).
    public Func<IMethodOptions> Defaults { get; }

    /// <summary>The defaults as the method starts in <paramref name="pipeline"/> (<see cref="IMethodOptions.ForPipeline"/>).</summary>
    public IMethodOptions DefaultsFor(Pipelines.Pipeline pipeline) => Defaults().ForPipeline(pipeline);

    public static MethodEntry Of<T>(string name, string source, Func<T> defaults, Func<T, IUnlearningMethod> create) where T : IMethodOptions =>
        new(name, source, typeof(T), () => defaults(), o => create((T)o));

    /// <summary>Defaults, then the <c>--set</c> assignments, validated: fails naming the key before anything trains.</summary>
    public (IUnlearningMethod Method, IReadOnlyDictionary<string, object> Resolved) Build(IEnumerable<string> assignments) =>
        Build(Defaults(), assignments);

    /// <summary>The method with options already typed (e.g. <c>Defaults().WithSchedule(lr, steps, batchSize)</c>), validated.</summary>
    public (IUnlearningMethod Method, IReadOnlyDictionary<string, object> Resolved) Build(IMethodOptions options)
    {
        if (options.GetType() != OptionsType) throw new ArgumentException($"{Name} takes {OptionsType.Name}, not {options.GetType().Name}", nameof(options));
        return Build(options, []);
    }

    private (IUnlearningMethod Method, IReadOnlyDictionary<string, object> Resolved) Build(IMethodOptions options, IEnumerable<string> assignments)
    {
        var resolved = MethodSettings.Apply(options, assignments);
        return (_create(resolved.Options), resolved.Values);
    }
}

/// <summary>
/// The explicit table of unlearning methods (no string registry: adding a method is one field here and one name in
/// <see cref="All"/>, and the compiler checks both). The CLI's <c>durableun methods</c> lists it; <c>--method</c> and the
/// study and sweep specs name an entry by its exact name, resolved once at the edge by <see cref="Find"/>.
/// </summary>
public static class MethodCatalog
{
    public static readonly MethodEntry Ga = MethodEntry.Of("ga", "Gradient ascent — Jang et al. 2023; open-unlearning GradAscent",
        () => new GradAscentOptions(), o => new GradAscent(o));
    public static readonly MethodEntry GradDiff = MethodEntry.Of("graddiff", "Gradient difference — Liu et al. 2022; open-unlearning GradDiff (γ 1, α 1, NLL)",
        () => new GradDiffOptions(), o => new GradDiff(o));
    public static readonly MethodEntry GaKl = MethodEntry.Of("ga-kl", "GA + KL on retain — TOFU / open-unlearning GradDiff retain_loss_type KL (padding masked)",
        () => new GradDiffOptions { RetainLoss = RetainLoss.Kl }, o => new GradDiff(o));
    public static readonly MethodEntry Npo = MethodEntry.Of("npo", "NPO — Zhang et al. 2024, arXiv:2404.05868; open-unlearning NPO (β 0.1), no retain term",
        () => new NpoOptions { RetainLoss = RetainLoss.None }, o => new Npo(o));
    public static readonly MethodEntry NpoGdr = MethodEntry.Of("npo-gdr", "NPO + retain NLL — open-unlearning NPO defaults (β 0.1, γ 1, α 1)",
        () => new NpoOptions { RetainLoss = RetainLoss.Nll }, o => new Npo(o));
    public static readonly MethodEntry NpoKlr = MethodEntry.Of("npo-klr", "NPO + retain KL — MUSE npo_klr with OU's NPO defaults",
        () => new NpoOptions { RetainLoss = RetainLoss.Kl }, o => new Npo(o));
    public static readonly MethodEntry SimNpo = MethodEntry.Of("simnpo", "SimNPO — Fan et al. 2024, arXiv:2410.07163; open-unlearning SimNPO (β 4.5, δ 0, γ 0.125, α 1)",
        () => new SimNpoOptions(), o => new SimNpo(o));
    public static readonly MethodEntry IdkDpo = MethodEntry.Of("idkdpo", "IdkDPO — TOFU (Maini et al. 2024); open-unlearning DPO (β 0.1, γ 1, α 1)",
        () => new IdkDpoOptions(), o => new IdkDpo(o));
    public static readonly MethodEntry IdkNll = MethodEntry.Of("idknll", "IdkNLL — TOFU idk loss: NLL on (forget question, refusal) + retain NLL",
        () => new IdkNllOptions(), o => new IdkNll(o));
    public static readonly MethodEntry Rmu = MethodEntry.Of("rmu", "RMU — Li et al. 2024 (WMDP), arXiv:2403.03218; open-unlearning RMU (c 2, γ 1, α 1), middle layer",
        () => new RmuOptions(), o => new Rmu(o));
    public static readonly MethodEntry SalUn = MethodEntry.Of("salun", "SalUn — Fan et al. ICLR 2024, arXiv:2310.12508 (top 50 % saliency mask), LLM relabelling adaptation",
        () => new SalUnOptions(), o => new SalUn(o));
    public static readonly MethodEntry Sure = MethodEntry.Of("sure", "SURE — Zhang et al. ICLR 2025, arXiv:2410.16454 (row saliency ≥ 90th percentile, GA + retain NLL)",
        () => new SureOptions(), o => new Sure(o));
    public static readonly MethodEntry Saf = MethodEntry.Of("saf", "DurableUn-SAF — Khan & Sohel 2026, arXiv:2605.02196 (abstract only; objective inferred, docs/methods.md#durableun-saf)",
        () => new SafOptions(), o => new Saf(o));

    /// Every method, in the order of the paper's tables (the study's default list).
    public static readonly IReadOnlyList<MethodEntry> All = [Ga, GradDiff, GaKl, Npo, NpoGdr, NpoKlr, SimNpo, IdkDpo, IdkNll, Rmu, SalUn, Sure, Saf];

    /// The entry named exactly <paramref name="name"/>; otherwise an error listing every name.
    public static MethodEntry Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"unknown method \"{name}\"; methods: {string.Join(", ", All.Select(e => e.Name))}", nameof(name));
}
