using DurableUn.Data;
using DurableUn.Methods;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Studies;

/// <summary>One planned unlearning run of a study: which dataset, method, hyperparameter setting and seed.</summary>
public sealed record StudyCell(DatasetKind Dataset, MethodEntry Method, CellSetting Setting, int Seed)
{
    /// File-safe, unique key (CellStore's alphabet).
    public string Key => $"{DatasetNames.Of(Dataset)}__{Method.Name}__{Setting}__seed{Seed}";

    /// Every cell of a spec, in a fixed order.
    public static IReadOnlyList<StudyCell> Plan(StudySpec spec) =>
        (from d in spec.Datasets
         from m in spec.Methods
         from setting in spec.PublishedRows.Contains(m) ? new[] { CellSetting.Calibrated, CellSetting.Published } : [CellSetting.Calibrated]
         from s in spec.Seeds
         select new StudyCell(d, m, setting, s)).ToList();
}
