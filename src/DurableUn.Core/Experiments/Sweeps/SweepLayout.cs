using DurableUn.Experiments.Preparation;

namespace DurableUn.Experiments.Sweeps;

/// <summary>
/// Where everything of a sweep lives, relative to its folder:
/// <code>
/// sweep.json                     the resolved spec (a rerun with another spec is refused; `report` knows a sweep by it)
/// model/, data/, targets/        the study's preparation of the one dataset (<see cref="PreparedLayout"/>)
/// cells/pt0007.json              one finished sweep point at every precision; cells/{dataset}__{target,retain}__… the references
/// adapters/pt0007/               the point's unlearned adapter (PEFT + run.json)
/// sweep_results.json, report.*   points, Pareto front, phase transition; made from whatever cells exist
/// </code>
/// </summary>
public sealed record SweepLayout(string Root)
{
    public const string SpecFile = "sweep.json";

    public string Spec => Path.Combine(Root, SpecFile);
    public PreparedLayout Prepared => new(Root);
    public string Results => Path.Combine(Root, "sweep_results.json");

    /// Whether <paramref name="folder"/> is a sweep folder (it holds sweep.json).
    public static bool IsSweep(string folder) => File.Exists(Path.Combine(folder, SpecFile));
}
