using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.Experiments.Sweeps;
using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>
/// Turns what a study folder holds (cells, certificates, calibrations) into a <see cref="ReportInput"/>: the result
/// rows, per-item recovery of every unlearned run, loss curves of targets and runs, and notes saying how the
/// numbers were produced (a target that never learned the facts, metrics undefined for some model); the calibrations
/// go to the report as they are (the calibration table).
/// </summary>
public static class StudyReportInput
{
    /// <param name="spec">The study's spec, for the preset and base named in the summary; null leaves them out.</param>
    public static ReportInput From(StudyResults results, string title, StudySpec? spec = null, SweepReport? sweep = null)
    {
        var notes = new List<string>();
        foreach (var group in results.Calibrations.GroupBy(c => c.Dataset))
            if (NothingToForget(results.Cells, group.Key, group.First().AuditEpsilon) is { } warning) notes.Add(warning);
        // Benchmark metrics undefined for some model (cells.csv reads "undefined" there): one note per metric and reason.
        foreach (var group in results.Cells.SelectMany(c => c.Records).SelectMany(r => r.Undefined.Select(u => (u.Key, u.Value, r)))
                     .GroupBy(x => (x.Key, x.Value)).OrderBy(g => g.Key.Key, StringComparer.Ordinal))
            notes.Add($"{group.Key.Key} is undefined for {string.Join(", ", group.Select(x => $"{x.r.Dataset}/{x.r.Method}").Distinct())} " +
                      $"({group.Select(x => x.r.Precision).Distinct().Count()} precisions): {group.Key.Value}.");
        return new ReportInput
        {
            Title = title,
            Cells = results.Cells.SelectMany(c => c.Records).ToList(),
            Certificates = results.Certificates.Select(c => new CertificateSummary
            {
                Dataset = c.Dataset, Method = MeasuredModel.Unlearned(c.Method), Pipeline = c.Pipeline, Setting = CellSetting.Of(c.Setting), Metric = c.Metric, Epsilon = c.Epsilon,
                Precisions = c.Precisions, PassingSeeds = c.Seeds.Count(s => s.Pass), Seeds = c.Seeds.Count,
            }).ToList(),
            Items = results.Cells.Where(c => c.Items.Count > 0 && !c.Method.IsReference)
                .Select(c => new ItemRecoverySet
                {
                    Dataset = c.Dataset, Method = c.Method, Setting = c.Setting, Seed = c.Seed, Items = c.Items,
                    Pipeline = PipelineOf(c), Control = c.Records.Any(r => r.Control),
                }).ToList(),
            Curves = results.Cells.Where(c => c.Curve.Count > 0 && (c.Method.IsReference || c.Seed == 0))
                .Select(c => new LossCurve((c.Method.IsReference ? $"{c.Dataset}/{c.Method}" : $"{c.Dataset}/{c.Method}/seed{c.Seed}") + CurveSuffix(c), c.Curve)).ToList(),
            Sweep = sweep,
            Calibrations = results.Calibrations,
            Preset = spec?.Preset.ToString().ToLowerInvariant(),
            Base = spec?.Base.ToString().ToLowerInvariant(),
            Notes = notes,
        };
    }

    /// A cell's pipeline, as its records name it (a cell file holds one model, so every record agrees).
    private static Pipelines.Pipeline PipelineOf(CellOutcome cell) => cell.Records.FirstOrDefault()?.Pipeline ?? Pipelines.Pipeline.Adapter;

    /// Curves of the default pipeline keep their old names; others and the positive control say which they are.
    private static string CurveSuffix(CellOutcome cell) =>
        (PipelineOf(cell) == Pipelines.Pipeline.Adapter ? "" : $" ({Pipelines.Pipelines.Name(PipelineOf(cell))})") +
        (cell.Records.Any(r => r.Control) ? " (positive control)" : "");

    /// <summary>
    /// A target that already passes the bf16 audit knows (almost) none of the forget facts: every method then
    /// "passes" at its weakest rung without removing anything, and no precision can recover what was never learned,
    /// so the study's recovery numbers say nothing. Seen at the wide preset fine-tuned at 4e-4 (target FA 0.05 against
    /// ε_audit 0.05); the report says so instead of showing a clean table.
    /// </summary>
    private static string? NothingToForget(IReadOnlyList<CellOutcome> cells, string dataset, double auditEpsilon)
    {
        var target = cells.FirstOrDefault(c => c.Dataset == dataset && c.Method == MeasuredModel.Target)?
            .Records.FirstOrDefault(r => r.Precision == Precision.Bf16);
        return target is not null && target.Fa <= auditEpsilon
            ? $"{dataset}: the target's FA bf16 ({target.Fa:F3}, {target.Metric}) is already at or below ε_audit ({auditEpsilon:F3}): " +
              "it does not know the forget facts, so every method passes without forgetting anything and this study cannot " +
              "show recovery. Fine-tune the target until it knows them (--finetune-steps, --finetune-lr) and rerun."
            : null;
    }
}
