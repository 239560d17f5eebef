using DurableUn.Experiments.Results;
using DurableUn.Experiments.Sweeps;
using DurableUn.Pipelines;

namespace DurableUn.Reporting;

/// <summary>
/// Turns a <see cref="ReportInput"/> into a <see cref="ReportDocument"/>: which sections exist, in which order, and
/// what each says when it has no data (one line, never an exception, because a study still running has gaps).
/// The answer first, the evidence under it: the summary (<see cref="ReportSummary"/>: setting, the five claims, the
/// positive control), the setting and calibration, then the evidence in the order of the claims: main tables with
/// their FA and recovery plots (1, 2), the paired tests behind them, recovery heatmap (2), certificates (5), sweep
/// (3, 4), then the supporting material: loss curves, per-item recovery, every precision. Rows of several pipelines,
/// and the positive control's rows, get tables and plots of their own (titles and file names say which).
/// Not: rendering (Markdown, HTML) or writing files (<see cref="ReportWriter"/>).
/// </summary>
public static class ReportComposer
{
    /// Items shown per run in the documents; 20 holds the items that came back most and keeps a 400-item forget
    /// set (TOFU forget10) from burying the report. The CSV has every item.
    public const int ItemsShown = 20;

    public static ReportDocument Compose(ReportInput input)
    {
        var tables = new List<Table>();
        var figures = new List<Figure>();
        var parts = Parts(input.Cells);

        var sections = new List<Section>
        {
            ReportSummary.Build(input, tables),
            Setting(input, tables),
            Results(input, parts, tables, figures),
            Paired(input, tables),
            RecoveryHeatmap(parts, figures),
            Certificates(input, tables),
            Sweep(input, tables, figures),
            Curves(input, figures),
            Items(input, tables),
            EveryPrecision(parts, tables),
        };
        RejectDuplicateIds(tables.Select(t => t.Id).Append("cells"), "table");
        RejectDuplicateIds(figures.Select(f => f.Id), "figure");
        IReadOnlyList<Table> data = input.Cells.Count > 0 ? [CellsTable.Build(input.Cells)] : [];
        return new ReportDocument(input.Title, [], sections, tables, data, figures);
    }

    /// <summary>
    /// The rows split by pipeline and by positive control, each part with the words its tables and plots add to their
    /// titles and file names ("full", "positive control"); one unnamed part when there is one pipeline and no control.
    /// </summary>
    private sealed record Part(Pipeline Pipeline, bool Control, string? Name, IReadOnlyList<CellRecord> Cells, IReadOnlyList<(string Dataset, string Metric)> Groups)
    {
        /// The certificates of this part's runs; the positive control is never certified.
        public IReadOnlyList<CertificateSummary> Certificates(IReadOnlyList<CertificateSummary> all) =>
            Control ? [] : all.Where(c => c.Pipeline == Pipeline).ToList();

        public Table Named(Table table) => Name is null ? table
            : table with { Id = Table.Slug(table.Id, Name), Title = $"{table.Title} — {Name}" };

        public Figure Named(Figure figure)
        {
            if (Name is null) return figure;
            var id = Table.Slug(figure.Id, Name);
            return figure with { Id = id, Title = $"{figure.Title} — {Name}", Svg = PlotCanvas.Renumber(figure.Svg, id) };
        }
    }

    private static IReadOnlyList<Part> Parts(IReadOnlyList<CellRecord> cells)
    {
        var pipelines = cells.Select(c => c.Pipeline).Distinct().Count();
        return cells.GroupBy(c => (c.Pipeline, c.Control)).OrderBy(g => g.Key.Pipeline).ThenBy(g => g.Key.Control)
            .Select(g =>
            {
                var words = new List<string>();
                if (pipelines > 1) words.Add($"pipeline {g.Key.Pipeline.Name()}");
                if (g.Key.Control) words.Add("positive control");
                var rows = g.ToList();
                return new Part(g.Key.Pipeline, g.Key.Control, words.Count == 0 ? null : string.Join(", ", words), rows, MethodRow.Groups(rows));
            }).ToList();
    }

    /// The audit target drawn on a dataset's plots: the study's calibration ε_audit, or a sweep's certificate ε.
    private static double? AuditTarget(ReportInput input, string dataset) =>
        input.Calibrations.FirstOrDefault(c => c.Dataset == dataset)?.AuditEpsilon
        ?? (input.Sweep is { } sweep && sweep.Dataset == dataset ? sweep.Epsilon : null);

    private static Section Setting(ReportInput input, List<Table> tables)
    {
        var metrics = input.Cells.Select(c => c.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
        var blocks = new List<Block>
        {
            new Paragraph(metrics.Count == 0 ? "Metric: no result records yet." : $"Metric used for FA and RA: {string.Join(", ", metrics)}."),
        };
        blocks.AddRange(input.Notes.Select(n => new Paragraph(n)));
        if (input.Calibrations.Count > 0)
        {
            var table = CalibrationTable.Build(input.Calibrations);
            tables.Add(table);
            blocks.Add(new TableBlock(table));
        }
        else blocks.Add(new Paragraph(input.Sweep is null ? "No calibration recorded." : "A sweep sets its hyperparameters by its grid; no calibration."));
        return new Section("Setting and calibration", blocks);
    }

    private static Section Results(ReportInput input, IReadOnlyList<Part> parts, List<Table> tables, List<Figure> figures)
    {
        if (parts.Count == 0) return new Section("Results", [new Paragraph("No result records yet.")]);
        var blocks = new List<Block>();
        foreach (var part in parts)
            foreach (var (dataset, metric) in part.Groups)
            {
                var table = part.Named(ResultsTable.Build(part.Cells, part.Certificates(input.Certificates), dataset, metric));
                var bars = part.Named(PrecisionBarsPlot.Build(MethodRow.Of(part.Cells, dataset, metric), dataset, metric, AuditTarget(input, dataset)));
                tables.Add(table);
                figures.Add(bars);
                blocks.Add(new TableBlock(table));
                blocks.Add(new FigureBlock(bars));
                if (RecoveryPlot.Build(part.Cells, dataset, metric) is { } recovery)
                {
                    recovery = part.Named(recovery);
                    figures.Add(recovery);
                    blocks.Add(new FigureBlock(recovery));
                }
                else blocks.Add(new Paragraph($"No recovery plot for {dataset}: no unlearned model measured at bf16 and another precision yet."));
            }
        return new Section("Results", blocks);
    }

    private static Section Paired(ReportInput input, List<Table> tables)
    {
        if (PairedTable.Build(input.Cells) is not { } table)
            return new Section("Paired tests", [new Paragraph("No paired test recorded in these result records (rows written before paired tests were, or bf16 only).")]);
        tables.Add(table);
        return new Section("Paired tests", [new TableBlock(table)]);
    }

    private static Section RecoveryHeatmap(IReadOnlyList<Part> parts, List<Figure> figures)
    {
        if (parts.Count == 0) return new Section("Recovery factor", [new Paragraph("No result records yet.")]);
        var blocks = new List<Block>();
        foreach (var part in parts)
            foreach (var metric in part.Groups.Select(g => g.Metric).Distinct())
            {
                var rows = part.Groups.Where(g => g.Metric == metric).SelectMany(g => MethodRow.Of(part.Cells, g.Dataset, metric)).ToList();
                if (RecoveryHeatmapPlot.Build(rows, metric) is { } figure)
                {
                    figure = part.Named(figure);
                    figures.Add(figure);
                    blocks.Add(new FigureBlock(figure));
                }
                else blocks.Add(new Paragraph($"No recovery factor yet under {metric}{(part.Name is null ? "" : $" ({part.Name})")}: it needs FA at both bf16 and int4."));
            }
        return new Section("Recovery factor", blocks);
    }

    private static Section Certificates(ReportInput input, List<Table> tables)
    {
        if (input.Certificates.Count == 0) return new Section("Certificates", [new Paragraph("No certificates yet.")]);
        var table = CertificateTable.Build(input.Certificates);
        tables.Add(table);
        return new Section("Certificates", [new TableBlock(table)]);
    }

    private static Section Sweep(ReportInput input, List<Table> tables, List<Figure> figures)
    {
        if (input.Sweep is not { } sweep) return new Section("Sweep", [new Paragraph("No sweep in this report.")]);
        if (sweep.Runs.Count == 0) return new Section("Sweep", [new Paragraph($"The {sweep.Dataset} / {sweep.Method} sweep has no finished runs yet.")]);
        var table = SweepTable.Build(sweep);
        Figure pareto = ParetoPlot.Build(sweep), phase = PhaseTransitionPlot.Build(sweep);
        tables.Add(table);
        figures.Add(pareto);
        figures.Add(phase);
        // The findings in words head the report (the summary); here the pictures and every run.
        return new Section("Sweep", [new FigureBlock(pareto), new FigureBlock(phase), new TableBlock(table)]);
    }

    private static Section Curves(ReportInput input, List<Figure> figures)
    {
        var plots = LossCurvesPlot.Build(input.Curves);
        if (plots.Count == 0) return new Section("Loss curves", [new Paragraph("No loss curves recorded.")]);
        figures.AddRange(plots);
        return new Section("Loss curves", plots.Select(f => (Block)new FigureBlock(f)).ToList());
    }

    private static Section Items(ReportInput input, List<Table> tables)
    {
        if (input.Items.Count == 0) return new Section("Per-item recovery", [new Paragraph("No per-item results yet.")]);
        var sets = input.Items.OrderBy(s => s.Dataset, StringComparer.Ordinal).ByMethod(s => s.Method)
            .ThenBy(s => s.Setting.Name, StringComparer.Ordinal).ThenBy(s => s.Seed).ThenBy(s => s.Pipeline).ThenBy(s => s.Control);
        var blocks = new List<Block>();
        foreach (var set in sets)
        {
            var table = ItemRecoveryTable.Build(set);
            tables.Add(table);
            blocks.Add(new TableBlock(table.Head(ItemsShown)));
        }
        return new Section("Per-item recovery", blocks);
    }

    private static Section EveryPrecision(IReadOnlyList<Part> parts, List<Table> tables)
    {
        if (parts.Count == 0) return new Section("Every precision", [new Paragraph("No result records yet.")]);
        var blocks = new List<Block>();
        foreach (var part in parts)
            foreach (var (dataset, metric) in part.Groups)
            {
                var table = part.Named(PrecisionTable.Build(part.Cells, dataset, metric));
                tables.Add(table);
                blocks.Add(new TableBlock(table));
            }
        return new Section("Every precision", blocks);
    }

    /// Two names that slug alike ("a b" and "a-b") would overwrite each other's files: refuse rather than lose one.
    private static void RejectDuplicateIds(IEnumerable<string> ids, string kind)
    {
        var duplicate = ids.GroupBy(id => id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Report: two {kind}s would both be written as '{duplicate.Key}'; rename a dataset, method or curve.");
    }
}
