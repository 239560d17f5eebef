using DurableUn.Data;
using DurableUn.Methods;
using DurableUn.Experiments.Preparation;

namespace DurableUn.Experiments.Studies;

/// <summary>
/// Where everything of a study lives, relative to its folder:
/// <code>
/// study.json                     the resolved spec (a rerun with another spec is refused)
/// model/, data/, targets/, cells/, adapters/   what preparation and the cells build (<see cref="PreparedLayout"/>)
/// calibration/{dataset}__{method}.json the bf16 ladder search
/// results.json, certificates/, report.*   merged results, made from whatever cells exist
/// .claims/                       which process is doing which preparation task (<see cref="SharedTasks"/>)
/// </code>
/// </summary>
public sealed record StudyLayout(string Root)
{
    public string Spec => Path.Combine(Root, "study.json");
    public PreparedLayout Prepared => new(Root);
    public string Calibration(DatasetKind d, MethodEntry method) => Path.Combine(Root, "calibration", $"{DatasetNames.Of(d)}__{method.Name}.json");
    public string Results => Path.Combine(Root, "results.json");
    public string Certificates => Path.Combine(Root, "certificates");
    public string Claims => Path.Combine(Root, ".claims");
}
