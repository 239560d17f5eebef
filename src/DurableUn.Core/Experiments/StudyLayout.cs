using DurableUn.Data;

namespace DurableUn.Experiments;

/// <summary>
/// Where everything of a study lives, relative to its folder:
/// <code>
/// study.json                     the resolved spec (a rerun with another spec is refused)
/// model/                         the preset base model (HF layout)
/// data/{dataset}/                the benchmark folder (synthetic, real layout)
/// targets/{dataset}/{target,retain}/   fine-tuned adapters (PEFT + run.json)
/// calibration/{dataset}__{method}.json the bf16 ladder search
/// cells/{key}.json               one finished unlearning run at every precision (CellOutcome)
/// adapters/{key}/                its unlearned adapter (PEFT + run.json), what certify --verify re-measures
/// results.json, certificates/, report.*   merged results, made from whatever cells exist
/// </code>
/// </summary>
public sealed record StudyLayout(string Root)
{
    public string Spec => Path.Combine(Root, "study.json");
    public string Model => Path.Combine(Root, "model");
    public string Data(DatasetKind d) => Path.Combine(Root, "data", StudySpec.DatasetName(d));
    public string Target(DatasetKind d) => Path.Combine(Root, "targets", StudySpec.DatasetName(d), "target");
    public string Retain(DatasetKind d) => Path.Combine(Root, "targets", StudySpec.DatasetName(d), "retain");
    public string Calibration(DatasetKind d, string method) => Path.Combine(Root, "calibration", $"{StudySpec.DatasetName(d)}__{method}.json");
    public string Cells => Path.Combine(Root, "cells");
    public string Adapter(string key) => Path.Combine(Root, "adapters", key);
    public string Results => Path.Combine(Root, "results.json");
    public string Certificates => Path.Combine(Root, "certificates");
}

/// <summary>One planned unlearning run of a study: which dataset, method, hyperparameter setting and seed.</summary>
public sealed record StudyCell(DatasetKind Dataset, string Method, string Setting, int Seed)
{
    public const string Calibrated = "calibrated";
    public const string Published = "published";

    /// File-safe, unique key (CellStore's alphabet).
    public string Key => $"{StudySpec.DatasetName(Dataset)}__{Method}__{Setting}__seed{Seed}";

    /// Every cell of a spec, in a fixed order.
    public static IReadOnlyList<StudyCell> Plan(StudySpec spec) =>
        (from d in spec.Datasets
         from m in spec.Methods
         from setting in spec.PublishedRows.Contains(m) ? new[] { Calibrated, Published } : [Calibrated]
         from s in spec.Seeds
         select new StudyCell(d, m, setting, s)).ToList();
}
