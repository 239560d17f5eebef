using System.Globalization;
using System.Text;
using DurableUn.Deployment;
using DurableUn.Finetuning;
using DurableUn.IO;
using DurableUn.Reporting;

namespace DurableUn.Bench;

/// <summary>
/// `regime-table WORK_DIR`: the regime map's tables from the study and sweep folders that
/// bench/regime_map.sh fills, printed and written to WORK_DIR/regime_map.md. Reads whatever has finished, so it can be
/// run at any time; a point or number not measured yet shows as "—", never as 0.
/// <list type="number">
/// <item>The map: per point (width, base, LoRA rank, or a sweep) and method, the calibrated (or swept) lr × steps and
///   whether it passes the bf16 audit, the point's floor, audit target and target FA, FA_bf16, RA_bf16, FA at each
///   INT4 group with its recovery factor FA_int4 / FA_bf16, and the code shifts of A and B at the default group.</item>
/// <item>The code-flip rate at the bf16-passing (calibrated) point against width, default group and rank.</item>
/// </list>
/// </summary>
internal static class RegimeTable
{
    /// The INT4 groups of the map: precision name and column label. "row" is int4:g4096, longer than every row of every
    /// preset's A (hidden and intermediate widths, at most 2752) and B (the rank), so each row is one group
    /// (<see cref="Precision.AlongRows"/>).
    public static readonly IReadOnlyList<(string Precision, string Label)> Groups =
        [("int4:g32", "g32"), (Precision.Int4.Name, "g64"), ("int4:g128", "g128"), ("int4:g4096", "row")];

    /// The study's own INT4 precision (groups of 64): the one whose code shifts the tables show.
    public static readonly string DefaultGroup = Precision.Int4.Name;

    private const string Missing = SeedSummary.Missing;
    private const string NotMeasured = "n/a";

    public static void Run(string workDir)
    {
        if (!Directory.Exists(workDir)) throw new DirectoryNotFoundException($"{workDir}: no such regime-map folder");
        var markdown = Render(RegimePoints.Read(workDir));
        Console.Write(markdown);
        AtomicFile.WriteAllText(Path.Combine(workDir, "regime_map.md"), markdown);
    }

    public static string Render(IReadOnlyList<RegimePoint> points)
    {
        var metrics = points.Select(p => p.Metric).OfType<string>().Distinct().ToList();
        var datasets = points.Select(p => p.Dataset).OfType<string>().Distinct().ToList();
        var sb = new StringBuilder();
        sb.Append("# Regime map\n\n");
        sb.Append($"FA and RA: {(metrics.Count == 0 ? "—" : string.Join(", ", metrics.Select(Describe)))}; ");
        sb.Append($"dataset {(datasets.Count == 0 ? "—" : string.Join(", ", datasets))}. ");
        sb.Append("Each study calibrates every method in bf16 only (the weakest rung of its lr × steps ladder whose FA_bf16 ≤ " +
                  "ε_audit = floor + 0.05); INT4 is measured afterwards on the same model and chose nothing.\n\n");
        sb.Append(MarkdownTable.Render(Map(points))).Append('\n');
        sb.Append(MarkdownTable.Render(FlipsByWidth(points)));
        return sb.ToString();
    }

    private static string Describe(string metric) => metric switch
    {
        "key_fact" => "key-fact recall of the greedy answer (`key_fact`, floor near 0)",
        "token_accuracy" => "teacher-forced answer-token accuracy (`token_accuracy`)",
        "rouge_l_recall" => "ROUGE-L recall (`rouge_l_recall`)",
        "exact_match" => "exact match (`exact_match`)",
        _ => $"`{metric}`",
    };

    private static Table Map(IReadOnlyList<RegimePoint> points)
    {
        var header = new List<string> { "Point", "Method", "lr × steps", "bf16 audit", "Floor", "ε_audit", "Target FA", "FA bf16", "RA bf16" };
        header.AddRange(Groups.Select(g => $"FA int4 {g.Label} (recovery)"));
        header.Add("Codes flipped A · B (g64)");
        header.Add("Median |Δw| / half-step A · B (g64)");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var point in points)
        {
            var context = new[] { Fa(point.Floor), Fa(point.AuditTarget), Fa(point.TargetFa) };
            if (point.Rows.Count == 0)
            {
                rows.Add([point.Label, point.Kind is null ? "(not started)" : Missing, Missing, Missing, .. context,
                          .. Enumerable.Repeat(Missing, header.Count - 7)]);
                continue;
            }
            foreach (var row in point.Rows)
            {
                var bf16 = row.At(Precision.Bf16.Name);
                var cells = new List<string> { point.Label, row.Method, Schedule(row), Audit(point, row) };
                cells.AddRange(context);
                cells.Add(Fa(bf16?.Fa));
                cells.Add(Fa(bf16?.Ra));
                cells.AddRange(Groups.Select(g => Int4(point, row, g.Precision)));
                cells.Add(Shift(row, s => s.CodesFlipped, v => (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%"));
                cells.Add(Shift(row, s => s.MedianHalfSteps, v => v.ToString("F2", CultureInfo.InvariantCulture)));
                rows.Add(cells);
            }
        }
        return new Table("regime-map", "Regime map", header, rows,
        [
            "Point: preset (d = hidden width × layers) · base · LoRA rank; seed 0. A study's lr × steps is its calibrated rung; a sweep's is its " +
            "grid point, and its audit column says whether that point's FA_bf16 ≤ ε_audit. \"fail\" in a study: no rung passed, the strongest ran.",
            "Floor: FA_bf16 of the retain model on the forget set; Target FA: FA_bf16 of the model before unlearning (a point whose " +
            "Target FA is ≤ ε_audit had nothing to forget: every method passes there and no recovery can show).",
            "Recovery = FA_int4 / FA_bf16 of the same model: ∞ when FA_bf16 is 0 and FA_int4 is not, 0/0 when both are 0.",
            "INT4 groups along rows of A and B; row = int4:g4096, longer than every row, so each row of A (hidden or intermediate " +
            "width) and of B (the rank) is one group. g128 does not divide smoke's (192) or wide's (2752) intermediate width: n/a there.",
            "Codes flipped: share of the adapter's INT4 codes (g64) that differ from the target's; |Δw| in half INT4 steps (below 1, rounding can undo the move).",
            "— : not measured yet (missing, never 0); n/a: not a precision of that point.",
        ], TextColumns: 4);
    }

    /// Code-flip rate at the calibrated point (the one that passed the bf16 audit) against width, for the rank-16
    /// studies (the width × base arm of the star), one column per method, plus the mean over methods that passed.
    private static Table FlipsByWidth(IReadOnlyList<RegimePoint> points)
    {
        var studies = points.Where(p => p.Kind == "study" && p.LoraRank == QLoraDefaults.Rank)
                            .OrderBy(p => p.Base).ThenBy(p => p.Width).ToList();
        var methods = studies.SelectMany(p => p.Rows.Select(r => r.Method)).Distinct().ToList();
        var header = new List<string> { "d", "Layers", "Preset", "Base" };
        header.AddRange(methods);
        header.Add("Mean A · B (passing)");
        var rows = new List<IReadOnlyList<string>>();
        var means = new List<(string Base, int Width, double A, double B)>();
        foreach (var point in studies)
        {
            var preset = point.Preset.ToString()!.ToLowerInvariant() + (point.NonDefaultFinetuneLr is { } lr ? $" (fine-tune lr {lr})" : "");
            var cells = new List<string> { $"{point.Width}", $"{point.Layers}", preset, point.Base.ToString()!.ToLowerInvariant() };
            foreach (var method in methods)
            {
                var row = point.Rows.FirstOrDefault(r => r.Method == method);
                var text = row is null ? NotMeasured : Shift(row, s => s.CodesFlipped, v => (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%");
                cells.Add(row?.Passed == false && text != Missing ? text + " †" : text);
            }
            var passing = point.Rows.Where(r => r.Passed == true).Select(Flips).OfType<(double A, double B)>().ToList();
            if (point.NothingToForget) cells.Add("‡");
            else if (passing.Count > 0)
            {
                var (a, b) = (passing.Average(f => f.A), passing.Average(f => f.B));
                means.Add((cells[3], point.Width!.Value, a, b));
                cells.Add($"A {Percent(a)} · B {Percent(b)}");
            }
            else cells.Add(Missing);
            rows.Add(cells);
        }
        var notes = new List<string>
        {
            "Share of INT4 codes (g64, the study default) of A and B that differ from the target's, at the calibrated point: the " +
            "weakest ladder rung whose FA_bf16 passes the audit. † no rung passed (the strongest ran; not in the mean). — not measured yet.",
            "‡ the target's FA_bf16 was already ≤ ε_audit: it did not know the forget facts, every method passed without forgetting, " +
            "and the point is left out of the trend.",
        };
        foreach (var group in means.GroupBy(m => m.Base))
        {
            var series = group.OrderBy(m => m.Width).ToList();
            notes.Add($"Trend ({group.Key}): A {string.Join(" → ", series.Select(m => $"{Percent(m.A)} (d{m.Width})"))}, " +
                      $"B {string.Join(" → ", series.Select(m => $"{Percent(m.B)} (d{m.Width})"))}; A {Direction(series.Select(m => m.A).ToList())} " +
                      $"and B {Direction(series.Select(m => m.B).ToList())} with width.");
        }
        return new Table("regime-flips-by-width", "Code-flip rate at the bf16-passing point against width", header, rows, notes, TextColumns: 4);
    }

    private static string Schedule(RegimeRow row) =>
        row.Lr is { } lr && row.Steps is { } steps ? $"{lr.ToString("G3", CultureInfo.InvariantCulture)} × {steps}" : Missing;

    private static string Audit(RegimePoint point, RegimeRow row) => row.Passed switch
    {
        true => "pass",
        false => point.Kind == "study" ? "fail (strongest)" : "fail",
        null => Missing,
    };

    private static string Fa(double? value) => value?.ToString("F3", CultureInfo.InvariantCulture) ?? Missing;

    private static string Percent(double v) => (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// FA at one INT4 group with its recovery factor; n/a when the point does not measure that group.
    private static string Int4(RegimePoint point, RegimeRow row, string precision)
    {
        if (!point.Precisions.Contains(precision)) return NotMeasured;
        if (row.At(precision) is not { } q || row.At(Precision.Bf16.Name) is not { } b) return Missing;
        var factor = b.Fa == 0 ? (q.Fa == 0 ? "0/0" : Recovery.Infinite) : (q.Fa / b.Fa).ToString("F2", CultureInfo.InvariantCulture) + "×";
        return $"{Fa(q.Fa)} ({factor})";
    }

    /// "A x · B y" of one shift statistic at the default group.
    private static string Shift(RegimeRow row, Func<QuantizationShift, double> value, Func<double, string> format)
    {
        var shifts = row.At(DefaultGroup)?.Shifts ?? [];
        if (shifts.Count == 0) return Missing;
        return string.Join(" · ", shifts.OrderBy(s => s.Group, StringComparer.Ordinal).Select(s => $"{s.Group} {format(value(s))}"));
    }

    private static (double A, double B)? Flips(RegimeRow row)
    {
        var shifts = row.At(DefaultGroup)?.Shifts ?? [];
        var a = shifts.FirstOrDefault(s => s.Group == "A");
        var b = shifts.FirstOrDefault(s => s.Group == "B");
        return a is null || b is null ? null : (a.CodesFlipped, b.CodesFlipped);
    }

    private static string Direction(IReadOnlyList<double> values) =>
        values.Count < 2 ? "has one width so far"
        : values.Zip(values.Skip(1)).All(p => p.Second > p.First) ? "rises"
        : values.Zip(values.Skip(1)).All(p => p.Second < p.First) ? "falls"
        : "is not monotone";
}
