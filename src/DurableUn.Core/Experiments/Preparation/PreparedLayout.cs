using DurableUn.Data;

namespace DurableUn.Experiments.Preparation;

/// <summary>
/// The part of a study or sweep folder that preparation builds and cells write into:
/// <code>
/// model/                               the preset base model (HF layout)
/// data/{dataset}/                      the benchmark folder (synthetic, real layout)
/// targets/{dataset}/{target,retain}/   fine-tuned adapters (PEFT + run.json); WPU on the pretrained base: retain/
///                                      alone, a copy of the floor base (its target is model/ itself)
/// cells/{key}.json                     one finished unlearning run at every precision (CellOutcome)
/// adapters/{key}/                      its unlearned adapter (PEFT + run.json), what certify --verify re-measures
/// </code>
/// Not: the spec and result files, which differ between a study (<see cref="Studies.StudyLayout"/>) and a sweep (<see cref="Sweeps.SweepLayout"/>).
/// </summary>
public sealed record PreparedLayout(string Root)
{
    public string Model => Path.Combine(Root, "model");
    public string Data(DatasetKind d) => Path.Combine(Root, "data", DatasetNames.Of(d));
    public string Target(DatasetKind d) => Path.Combine(Root, "targets", DatasetNames.Of(d), "target");
    public string Retain(DatasetKind d) => Path.Combine(Root, "targets", DatasetNames.Of(d), "retain");
    public string Cells => Path.Combine(Root, "cells");
    public string Adapter(string key) => Path.Combine(Root, "adapters", key);
}
