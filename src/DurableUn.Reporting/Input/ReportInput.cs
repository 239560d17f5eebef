using DurableUn.Experiments.Calibration;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Sweeps;

namespace DurableUn.Reporting;

/// <summary>
/// Everything a report is made from: result records only, never a model. Every list may be empty, because a
/// study that is still running (some shards unfinished, no sweep, no certificate yet) must still report what it
/// has; each missing part becomes one line saying so.
/// Not: loading results.json or run folders (the CLI reads them), computing metrics, or running a change-point
/// search (the sweep does; its result arrives in <see cref="SweepReport.ChangePoint"/>).
/// </summary>
public sealed record ReportInput
{
    public required string Title { get; init; }
    /// One row per (dataset, method, setting, seed, precision, metric); FA and RA use the row's own metric.
    public IReadOnlyList<CellRecord> Cells { get; init; } = [];
    public IReadOnlyList<CertificateSummary> Certificates { get; init; } = [];
    /// Per-item recovery of the forget set, one list per unlearned run.
    public IReadOnlyList<ItemRecoverySet> Items { get; init; } = [];
    /// Training and unlearning loss curves, named "dataset/what", e.g. "tofu/target" or "tofu/npo/seed0".
    public IReadOnlyList<LossCurve> Curves { get; init; } = [];
    public SweepReport? Sweep { get; init; }
    /// How each method's setting was chosen (a study's calibration ladder); shown as a table, empty for a sweep.
    public IReadOnlyList<CalibrationResult> Calibrations { get; init; } = [];
    /// The model preset and base named in the summary's setting line; null when the caller does not say.
    public string? Preset { get; init; }
    public string? Base { get; init; }
    /// Free paragraphs printed under the summary (configuration hashes, a date if the caller wants one).
    public IReadOnlyList<string> Notes { get; init; } = [];
}
