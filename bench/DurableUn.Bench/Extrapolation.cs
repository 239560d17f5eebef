using System.Globalization;
using System.Text;
using DurableUn.Checkpoints;
using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.IO;
using DurableUn.Pipelines;
using DurableUn.Reporting;
using ScottPlot;

namespace DurableUn.Bench;

/// <summary>One study point's smallest audit-passing update at its pipeline's control precision: the share of the
/// deployed format's codes it moves, and the forget answer probability before and after deployment.</summary>
internal sealed record ExtrapolationPoint(Pipeline Pipeline, string Point, long Parameters, double? TargetFa, string Method, Precision Precision,
                                          double Share, double FaBf16, double FaDeployed, double? ProbBf16, double? ProbDeployed)
{
    /// <summary>
    /// Below this bf16 forget probability the ratio is left out (table "—", not plotted): the published bf16
    /// probabilities are 0.028 and 0.061, and a collapsed model's 0.000 → 0.001 would read as a large "recovery" that
    /// is a ratio of two near-zero numbers. The absolute difference stays in the table.
    /// </summary>
    public const double MinProbForRatio = 0.01;

    /// The published recovery measure: forget answer probability deployed ÷ at bf16 (null without probabilities, or
    /// when the bf16 probability is below <see cref="MinProbForRatio"/>).
    public double? Ratio => ProbBf16 is >= MinProbForRatio && ProbDeployed is { } d ? d / ProbBf16 : null;
}

/// <summary>A published 4-bit recovery on TOFU forget10 (GradDiff lr 1e-5 × 10 epochs, bitsandbytes' default 4-bit,
/// forget answer probability), from the public replication docs/findings.md cites.</summary>
internal sealed record PublishedRecovery(string Model, double Parameters, double ProbBf16, double Prob4Bit)
{
    public double Ratio => Prob4Bit / ProbBf16;

    public static readonly IReadOnlyList<PublishedRecovery> Tofu =
    [
        new("Llama-3.2-1B", 1.24e9, 0.061, 0.359),
        new("Llama-3.1-8B", 8.03e9, 0.028, 0.672),
    ];
}

/// <summary>
/// `extrapolation WORK_DIR [OUT_DIR]`: how far the regime map's widths are from the published recovery. Per pipeline
/// (adapter at int4, fresh-adapter at merged-nf4, full at model-fp4: <see cref="PipelineDeployments.ControlPrecision"/>,
/// the deployment where each pipeline's recovery is published), the study points' smallest audit-passing update — of
/// the methods that passed the bf16 audit, the one that moves the fewest codes (points whose target already passes the
/// audit have nothing to forget and are left out) — plotted as that share of codes
/// against the preset's parameter count (log–log, a least-squares line per pipeline carried out to 10¹⁰), with the
/// forget answer probability's ratio (deployed ÷ bf16) of the same update on the right axis beside the published
/// ratios at 1B (6×) and 8B (24×). METHODS (comma-separated) keeps only those methods' rows, so points run with
/// different method lists compare alike (e.g. ga,graddiff, the methods every pipeline point ran). Writes
/// extrapolation.md, .svg and .png. Reads only; nothing is timed.
/// Why the share: recovery needs an update whose forgetting lies in sub-bin moves (docs/findings.md, "Why the
/// pipelines differ"); a larger model unlearns with smaller per-weight updates, so the share it moves is what the
/// extrapolation follows.
/// </summary>
internal static class Extrapolation
{
    private const double FitEnd = 1e10;

    public static void Run(string workDir, string outDir, IReadOnlySet<string>? methods = null)
    {
        var points = Collect(RegimePoints.Read(workDir), methods);
        Directory.CreateDirectory(outDir);
        var markdown = Render(points);
        Console.Write(markdown);
        AtomicFile.WriteAllText(Path.Combine(outDir, "extrapolation.md"), markdown);
        var plot = Plot(points);
        AtomicFile.WriteAllText(Path.Combine(outDir, "extrapolation.svg"), plot.GetSvgXml(900, 600));
        AtomicFile.WriteAllBytes(Path.Combine(outDir, "extrapolation.png"), plot.GetImageBytes(900, 600, ImageFormat.Png));
    }

    public static IReadOnlyList<ExtrapolationPoint> Collect(IReadOnlyList<RegimePoint> points, IReadOnlySet<string>? methods = null) =>
        (from p in points
         where p.Kind == "study" && p.Folder is not null && p.Dataset is not null && !p.NothingToForget
         let precision = Control(p.Pipeline)
         let candidates = (from row in p.Rows
                           where row.Passed == true && (methods is null || methods.Contains(row.Method))
                           let bf16 = row.At(Precision.Bf16.Name)
                           let deployed = row.At(precision.Name)
                           where bf16 is not null && deployed is not null && deployed.Shifts.Count > 0
                           select new ExtrapolationPoint(p.Pipeline, $"{p.Name} ({p.Dataset})", Parameters(p.Folder!), p.TargetFa, row.Method, precision,
                                                         Share(deployed.Shifts), bf16.Fa, deployed.Fa, bf16.FaProb, deployed.FaProb)).ToList()
         where candidates.Count > 0
         select candidates.MinBy(c => c.Share)!).ToList();

    /// The deployment where each pipeline's recovery is sought: the adapter pipeline's INT4 adapter, the others' control precision.
    private static Precision Control(Pipeline pipeline) => pipeline == Pipeline.Adapter ? Precision.Int4 : pipeline.ControlPrecision();

    /// Codes moved over all quantized groups, weighted by their element counts.
    private static double Share(IReadOnlyList<QuantizationShift> shifts) =>
        shifts.Sum(s => s.CodesFlipped * s.Elements) / shifts.Sum(s => (double)s.Elements);

    /// Every tensor of the study's base (model/model.safetensors): embeddings and head included, as published sizes count them.
    private static long Parameters(string folder)
    {
        var file = Path.Combine(folder, "model", "model.safetensors");
        return SafetensorsFile.ReadHeader(file).Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
    }

    /// log10(share) = a + b·log10(parameters) by least squares; null with fewer than two widths.
    public static (double A, double B)? Fit(IReadOnlyList<ExtrapolationPoint> points)
    {
        var xs = points.Select(p => Math.Log10(p.Parameters)).ToArray();
        var ys = points.Select(p => Math.Log10(Math.Max(p.Share, 1e-6))).ToArray();
        if (xs.Distinct().Count() < 2) return null;
        var (mx, my) = (xs.Average(), ys.Average());
        var b = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / xs.Sum(x => (x - mx) * (x - mx));
        return (my - b * mx, b);
    }

    public static string Render(IReadOnlyList<ExtrapolationPoint> points)
    {
        string F(double v, string f = "F2") => v.ToString(f, CultureInfo.InvariantCulture);
        var sb = new StringBuilder("# Extrapolation: codes moved by the smallest audit-passing update, against parameter count\n\n");
        sb.Append(MarkdownTable.Render(new Table("extrapolation", "Smallest audit-passing update per study point",
            ["pipeline", "point", "parameters", "target FA", "method", "precision", "codes moved", "FA bf16 → deployed", "prob bf16 → deployed", "ratio"],
            points.Select(p => (IReadOnlyList<string>)
            [
                p.Pipeline.Name(), p.Point, p.Parameters.ToString("N0", CultureInfo.InvariantCulture), p.TargetFa is { } t ? F(t) : "—", p.Method, p.Precision.Name,
                F(100 * p.Share) + " %", $"{F(p.FaBf16)} → {F(p.FaDeployed)}",
                p.ProbBf16 is { } a && p.ProbDeployed is { } b ? $"{F(a, "F3")} → {F(b, "F3")}" : "—",
                p.Ratio is { } r ? F(r, "F1") + "×" : "—",
            ]).ToList(),
            ["ratio: forget answer probability deployed ÷ bf16, the published recovery measure; left out (—) when the bf16 probability is below 0.01, where it is a ratio of two near-zero numbers.",
             "target FA: what the target knew of the forget set at bf16; a point whose target already passes the audit has nothing to forget and is left out."], TextColumns: 5)));
        sb.Append("\nPublished (TOFU forget10, GradDiff, bitsandbytes 4-bit, forget answer probability): ");
        sb.Append(string.Join("; ", PublishedRecovery.Tofu.Select(p => $"{p.Model} ({p.Parameters / 1e9:F2}B) {F(p.ProbBf16, "F3")} → {F(p.Prob4Bit, "F3")}, {F(p.Ratio, "F0")}×")));
        sb.Append(".\n\nPower-law fit of the share of codes moved, per pipeline, carried to the published sizes:\n\n");
        foreach (var group in points.GroupBy(p => p.Pipeline))
        {
            var fit = Fit(group.ToList());
            sb.Append($"- {group.Key.Name()}: ");
            sb.Append(fit is { } f
                ? $"share ∝ N^{F(f.B)}; at 1.24B {AtSize(f, 1.24e9)}, at 8.03B {AtSize(f, 8.03e9)} ({group.Count()} points)\n"
                : "one width only, no fit\n");
        }
        return sb.ToString();
    }

    /// The fitted share at a size, or a note when the line leaves the possible range.
    private static string AtSize((double A, double B) fit, double parameters)
    {
        var share = Math.Pow(10, fit.A + fit.B * Math.Log10(parameters));
        return share >= 1 ? "over 100 % (the line leaves the possible range)" : (100 * share).ToString("G2", CultureInfo.InvariantCulture) + " %";
    }

    private static Plot Plot(IReadOnlyList<ExtrapolationPoint> points)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title("Codes moved by the smallest audit-passing update, and recovery, against model size");
        plot.XLabel("parameters (log scale)");
        plot.YLabel("codes moved, % (filled; fit dashed)");
        plot.Axes.Right.Label.Text = "forget probability deployed ÷ bf16 (open; ◆ published)";
        var palette = new ScottPlot.Palettes.Category10();
        var pipelines = points.Select(p => p.Pipeline).Distinct().OrderBy(p => p).ToList();
        for (var i = 0; i < pipelines.Count; i++)
        {
            var colour = palette.GetColor(i);
            var group = points.Where(p => p.Pipeline == pipelines[i]).ToList();
            var share = plot.Add.Markers(group.Select(p => Math.Log10(p.Parameters)).ToArray(),
                                         group.Select(p => Math.Log10(100 * Math.Max(p.Share, 1e-6))).ToArray(), MarkerShape.FilledCircle, 10, colour);
            share.LegendText = $"{pipelines[i].Name()} at {Control(pipelines[i]).Name}: codes moved";
            if (Fit(group) is { } f)
            {
                var x0 = group.Min(p => Math.Log10(p.Parameters));
                var x1 = Math.Min(Math.Log10(FitEnd), f.B > 0 ? -f.A / f.B : double.PositiveInfinity);   // not past 100 %
                var line = plot.Add.Line(x0, 2 + f.A + f.B * x0, x1, 2 + f.A + f.B * x1);
                line.LineColor = colour;
                line.LinePattern = LinePattern.Dashed;
            }
            var withRatio = group.Where(p => p.Ratio is > 0).ToList();
            if (withRatio.Count == 0) continue;
            var ratio = plot.Add.Markers(withRatio.Select(p => Math.Log10(p.Parameters)).ToArray(),
                                         withRatio.Select(p => Math.Log10(p.Ratio!.Value)).ToArray(), MarkerShape.OpenSquare, 10, colour);
            ratio.Axes.YAxis = plot.Axes.Right;
            ratio.LegendText = $"{pipelines[i].Name()}: probability ratio";
        }
        var published = plot.Add.Markers(PublishedRecovery.Tofu.Select(p => Math.Log10(p.Parameters)).ToArray(),
                                         PublishedRecovery.Tofu.Select(p => Math.Log10(p.Ratio)).ToArray(), MarkerShape.FilledDiamond, 12, Colors.Black);
        published.Axes.YAxis = plot.Axes.Right;
        published.LegendText = "published: Llama-3.2-1B 6×, Llama-3.1-8B 24×";
        foreach (var p in PublishedRecovery.Tofu)
        {
            var mark = plot.Add.VerticalLine(Math.Log10(p.Parameters), 1, Colors.Gray);
            mark.LinePattern = LinePattern.Dotted;
            mark.Text = p.Model;
        }
        // Log axes: values are plotted as log10, ticks at round numbers labelled in plain units.
        static ScottPlot.TickGenerators.NumericManual Ticks(IEnumerable<(double Value, string Label)> ticks) =>
            new(ticks.Select(t => new Tick(Math.Log10(t.Value), t.Label, true)).ToArray());
        plot.Axes.Bottom.TickGenerator = Ticks([(1e5, "100k"), (1e6, "1M"), (1e7, "10M"), (1e8, "100M"), (1e9, "1B"), (1e10, "10B")]);
        plot.Axes.Left.TickGenerator = Ticks([(0.001, "0.001"), (0.01, "0.01"), (0.1, "0.1"), (1, "1"), (10, "10"), (100, "100")]);
        plot.Axes.Right.TickGenerator = Ticks([(0.5, "0.5"), (1, "1"), (2, "2"), (5, "5"), (10, "10"), (20, "20"), (50, "50")]);
        plot.Axes.SetLimitsX(5, 10);
        plot.Axes.SetLimitsY(-3, 2, plot.Axes.Left);
        plot.Axes.SetLimitsY(Math.Log10(0.5), Math.Log10(50), plot.Axes.Right);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
