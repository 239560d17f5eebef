using DurableUn.Experiments;

namespace DurableUn.Reporting;

/// <summary>
/// Turns a <see cref="ReportInput"/> into a <see cref="ReportDocument"/>: which sections exist, in which order, and
/// what each says when it has no data (one line, never an exception, because a study still running has gaps).
/// Order follows the paper's claims: main tables (1, 2), recovery heatmap (2), certificates (5), sweep (3, 4),
/// then the supporting material: loss curves, per-item recovery, every precision.
/// Not: rendering (Markdown, HTML) or writing files (<see cref="ReportWriter"/>).
/// </summary>
public static class ReportComposer
{
    /// Items shown per run in the documents; 20 holds the items that came back most and keeps a 400-item forget
    /// set (TOFU forget10) from burying the report. The CSV has every item.
    public const int ItemsShown = 20;

    public static ReportDocument Compose(ReportInput input)
    {
        var groups = MethodRow.Groups(input.Cells);
        var tables = new List<Table>();
        var figures = new List<Figure>();

        var sections = new List<Section>
        {
            Results(input, groups, tables, figures),
            RecoveryHeatmap(input, groups, figures),
            Certificates(input, tables),
            Sweep(input, tables, figures),
            Curves(input, figures),
            Items(input, tables),
            EveryPrecision(input, groups, tables),
        };
        RejectDuplicateIds(tables.Select(t => t.Id).Append("cells"), "table");
        RejectDuplicateIds(figures.Select(f => f.Id), "figure");

        var metrics = groups.Select(g => g.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> preamble =
        [
            metrics.Count == 0 ? "Metric: no result records yet." : $"Metric used for FA and RA: {string.Join(", ", metrics)}.",
            .. input.Notes,
        ];
        IReadOnlyList<Table> data = input.Cells.Count > 0 ? [CellsTable.Build(input.Cells)] : [];
        return new ReportDocument(input.Title, preamble, sections, tables, data, figures);
    }

    private static Section Results(ReportInput input, IReadOnlyList<(string Dataset, string Metric)> groups, List<Table> tables, List<Figure> figures)
    {
        if (groups.Count == 0) return new Section("Results", [new Paragraph("No result records yet.")]);
        var blocks = new List<Block>();
        foreach (var (dataset, metric) in groups)
        {
            var table = ResultsTable.Build(input.Cells, input.Certificates, dataset, metric);
            var figure = PrecisionBarsPlot.Build(MethodRow.Of(input.Cells, dataset, metric), dataset, metric);
            tables.Add(table);
            figures.Add(figure);
            blocks.Add(new TableBlock(table));
            blocks.Add(new FigureBlock(figure));
        }
        return new Section("Results", blocks);
    }

    private static Section RecoveryHeatmap(ReportInput input, IReadOnlyList<(string Dataset, string Metric)> groups, List<Figure> figures)
    {
        if (groups.Count == 0) return new Section("Recovery factor", [new Paragraph("No result records yet.")]);
        var blocks = new List<Block>();
        foreach (var metric in groups.Select(g => g.Metric).Distinct())
        {
            var rows = groups.Where(g => g.Metric == metric).SelectMany(g => MethodRow.Of(input.Cells, g.Dataset, metric)).ToList();
            if (RecoveryHeatmapPlot.Build(rows, metric) is { } figure)
            {
                figures.Add(figure);
                blocks.Add(new FigureBlock(figure));
            }
            else blocks.Add(new Paragraph($"No recovery factor yet under {metric}: it needs FA at both bf16 and int4."));
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
        return new Section("Sweep", [.. SweepFindings.Of(sweep).Select(text => new Paragraph(text)), new FigureBlock(pareto), new FigureBlock(phase), new TableBlock(table)]);
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
            .ThenBy(s => s.Setting.Name, StringComparer.Ordinal).ThenBy(s => s.Seed);
        var blocks = new List<Block>();
        foreach (var set in sets)
        {
            var table = ItemRecoveryTable.Build(set);
            tables.Add(table);
            blocks.Add(new TableBlock(table.Head(ItemsShown)));
        }
        return new Section("Per-item recovery", blocks);
    }

    private static Section EveryPrecision(ReportInput input, IReadOnlyList<(string Dataset, string Metric)> groups, List<Table> tables)
    {
        if (groups.Count == 0) return new Section("Every precision", [new Paragraph("No result records yet.")]);
        var blocks = new List<Block>();
        foreach (var (dataset, metric) in groups)
        {
            var table = PrecisionTable.Build(input.Cells, dataset, metric);
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
