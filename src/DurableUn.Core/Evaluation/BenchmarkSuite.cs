using System.Text.Json;
using System.Text.Json.Serialization;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Evaluation;
using DurableUn.IO;
using DurableUn.Model;

namespace DurableUn.Evaluation;

/// <summary>What the retain model contributes to every other model's suite: TOFU's forget quality compares truth
/// ratios with its own, MUSE's PrivLeak divides by its AUC. Saved as suite_reference.json beside its adapter.</summary>
public sealed record SuiteReference
{
    [JsonPropertyName("forget_truth_ratios")] public IReadOnlyList<double>? ForgetTruthRatios { get; init; }
    [JsonPropertyName("privleak_auc")] public double? PrivLeakAuc { get; init; }

    public const string FileName = "suite_reference.json";

    public static SuiteReference From(SuiteResult retain) => new()
    {
        ForgetTruthRatios = retain.Has("forget_truth_ratio") ? retain["forget_truth_ratio"].PerExample : null,
        PrivLeakAuc = retain.Has("privleak_auc") ? retain["privleak_auc"].Aggregate : null,
    };

    public void Write(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this));

    public static SuiteReference? Read(string folder) =>
        File.Exists(Path.Combine(folder, FileName)) ? JsonSerializer.Deserialize<SuiteReference>(File.ReadAllText(Path.Combine(folder, FileName))) : null;
}

/// <summary>
/// The benchmark's own metrics for one model (docs/design.md#pipeline: "and each benchmark's own metrics"): TOFU's
/// forget quality and model utility, MUSE's KnowMem/VerbMem/PrivLeak, WPU's utility, and the MIA AUCs, by dataset kind.
/// Not: FA/RA (<see cref="PrecisionEvaluation"/>).
/// </summary>
public static class BenchmarkSuite
{
    public static SuiteResult Evaluate(DatasetKind kind, CausalLm model, QaEncoder encoder, Dataset data, SuiteReference? reference) => kind switch
    {
        DatasetKind.Tofu => TofuSuite.Evaluate(model, encoder, data, new TofuOptions(), reference?.ForgetTruthRatios),
        DatasetKind.Muse => MuseSuite.Evaluate(model, encoder, data, new MuseOptions(), reference?.PrivLeakAuc),
        DatasetKind.Wpu => WpuSuite.Evaluate(model, encoder, data, new WpuOptions()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown dataset kind"),
    };
}
