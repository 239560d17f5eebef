using DurableUn.Data;
using DurableUn.Methods;

namespace DurableUn.Experiments;

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

/// <summary>One planned unlearning run of a study: which dataset, method, hyperparameter setting and seed.</summary>
public sealed record StudyCell(DatasetKind Dataset, MethodEntry Method, string Setting, int Seed)
{
    public const string Calibrated = "calibrated";
    public const string Published = "published";

    /// File-safe, unique key (CellStore's alphabet).
    public string Key => $"{DatasetNames.Of(Dataset)}__{Method.Name}__{Setting}__seed{Seed}";

    /// Every cell of a spec, in a fixed order.
    public static IReadOnlyList<StudyCell> Plan(StudySpec spec) =>
        (from d in spec.Datasets
         from m in spec.Methods
         from setting in spec.PublishedRows.Contains(m) ? new[] { Calibrated, Published } : [Calibrated]
         from s in spec.Seeds
         select new StudyCell(d, m, setting, s)).ToList();
}
