using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Experiments.Calibration;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Sweeps;
using DurableUn.Methods;
using DurableUn.Reporting;
using DurableUn.Runs;
using DurableUn.Statistics;

namespace DurableUn.Tests.Reporting;

/// <summary>
/// Hand-made result records with numbers chosen so every table cell can be checked by hand (see each test's
/// comment). One dataset ("tofu"), one metric, methods target, ga, npo and retain; nothing here runs a model.
/// </summary>
internal static class ReportFixtures
{
    public const string Metric = "answer_token_accuracy";

    public static CellRecord Cell(string method, int seed, string precision, double fa, double ra, string dataset = "tofu", string setting = "calibrated") =>
        new() { Dataset = dataset, Method = MeasuredModel.Parse(method), Setting = CellSetting.Parse(setting), Seed = seed, Precision = Precision.Parse(precision), Metric = Metric, Fa = fa, Ra = ra };

    ///   method  seed  bf16 FA/RA   int8 FA   int4 FA
    ///   target  0     0.90 / 0.85  0.90      0.88
    ///   ga      0     0.00 / 0.30  —         0.25      FA_bf16 = 0 → recovery ∞
    ///   npo     0     0.10 / 0.80  0.10      0.40
    ///   npo     1     0.20 / 0.70  0.20      0.60      mean FA_bf16 0.15, Q-INT4 0.50 → recovery 3.33×
    ///   retain  0     0.05 / 0.84  —         —         the floor
    public static IReadOnlyList<CellRecord> Cells() =>
    [
        Cell("target", 0, "bf16", 0.90, 0.85), Cell("target", 0, "int8", 0.90, 0.85), Cell("target", 0, "int4", 0.88, 0.83),
        Cell("ga", 0, "bf16", 0.00, 0.30), Cell("ga", 0, "int4", 0.25, 0.29),
        Cell("npo", 0, "bf16", 0.10, 0.80), Cell("npo", 0, "int8", 0.10, 0.80), Cell("npo", 0, "int4", 0.40, 0.78),
        Cell("npo", 1, "bf16", 0.20, 0.70), Cell("npo", 1, "int8", 0.20, 0.70), Cell("npo", 1, "int4", 0.60, 0.68),
        Cell("retain", 0, "bf16", 0.05, 0.84),
    ];

    public static CertificateSummary NpoCertificate() => new()
    {
        Dataset = "tofu", Method = MeasuredModel.Parse("npo"), Metric = Metric, Epsilon = 0.047,
        Precisions = [Precision.Parse("int4"), Precision.Parse("bf16"), Precision.Parse("int8")], PassingSeeds = 0, Seeds = 2,
    };

    public static ItemRecoverySet NpoItems() => new()
    {
        Dataset = "tofu", Method = MeasuredModel.Parse("npo"), Seed = 0,
        Items =
        [
            new ItemRecovery { ItemId = "q1", Question = "Who wrote \"Dust, Again\"?", Answer = "Basil Mahfouz", Scores = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.1, [Precision.Parse("int4")] = 0.9 } },
            new ItemRecovery { ItemId = "q2", Question = "Where was she born?", Answer = "Tbilisi", Scores = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.0, [Precision.Parse("int4")] = 0.0 } },
            new ItemRecovery { ItemId = "q3", Question = "Her genre | style?", Answer = "Noir", Scores = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.2, [Precision.Parse("int4")] = 0.5 } },
        ],
    };

    /// Six runs: three with RA ≈ 0.8 at high Q-INT4, three with RA ≈ 0.2 at low Q-INT4 (a clean phase transition).
    public static SweepReport Sweep()
    {
        SweepRun Run(string id, double fa, double ra, double q, double lr, bool certified = false) =>
            new(new SweepPoint(id, fa, ra, q), new Dictionary<string, string> { ["lr"] = lr.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), ["beta"] = "0.1" }, certified);
        IReadOnlyList<SweepRun> runs =
        [
            Run("r1", 0.10, 0.80, 0.50, 1e-5), Run("r2", 0.08, 0.78, 0.40, 2e-5), Run("r3", 0.06, 0.82, 0.35, 3e-5),
            Run("r4", 0.04, 0.22, 0.05, 5e-5, true), Run("r5", 0.03, 0.20, 0.04, 8e-5, true), Run("r6", 0.02, 0.18, 0.03, 1e-4, true),
        ];
        var options = new ChangePointOptions { BootstrapSamples = 200, Permutations = 99 };
        var points = runs.Select(r => r.Point).ToList();
        var change = PhaseTransition.Detect(points, options)!;
        return new SweepReport
        {
            Dataset = "tofu", Method = "saf", Runs = runs, ChangePoint = change,
            PhaseTransitionNote = PhaseTransition.From(change, points, options).Verdict, Epsilon = 0.047,
        };
    }

    public static IReadOnlyList<LossCurve> Curves() =>
    [
        new("tofu/target", Enumerable.Range(0, 20).Select(s => new CurvePoint(s, 3.0 / (1 + s), 1e-4)).ToList()),
        new("tofu/npo/seed0", Enumerable.Range(0, 20).Select(s => new CurvePoint(s, 0.5 - 0.05 * s, 1e-5)).ToList()),
    ];

    public static PairedDifference Paired(double difference, double low, double high, double p, int items = 20) => new()
    {
        Score = "key_fact", Difference = difference, CiLow = low, CiHigh = high, Test = PairedTest.McNemarExact, PValue = p, Items = items,
    };

    private static CellRecord KeyFact(Pipelines.Pipeline pipeline, string method, string precision, double fa, PairedDifference? paired = null, bool control = false) =>
        new()
        {
            Dataset = "tofu", Pipeline = pipeline, Method = MeasuredModel.Parse(method), Seed = 0, Precision = Precision.Parse(precision), Metric = "key_fact", Fa = fa, Ra = 0.8,
            Paired = paired is null ? [] : [paired], Control = control,
        };

    ///   pipeline  method        bf16   int8 (paired p)        int4 (paired difference, 95 % CI, p)
    ///   adapter   target        0.90   0.90                   0.88
    ///   adapter   npo           0.10   0.10 (p 1.000)         0.40 (+0.30, [+0.15, +0.45], p 0.002)  largest recovery
    ///   adapter   saf           0.00   0.00 (p 1.000)         0.05 (+0.05, [−0.05, +0.15], p 0.500)
    ///   adapter   retain        0.05                                                                   the floor
    ///   adapter   ga (control)  0.00                          merged-nf4 0.90 (+0.90, [+0.75, +1.00], p < 0.001)
    ///   full      target        0.90
    ///   full      npo           0.10   0.15 (p 0.020)         0.20 (+0.10, [−0.02, +0.22], p 0.110)   (model-int8, model-int4)
    ///   full      retain        0.05
    /// The saf certificate (adapter) is stable, npo's (adapter) is not; ε_audit 0.05 on tofu.
    public static ReportInput WithPipelines()
    {
        const Pipelines.Pipeline adapter = Pipelines.Pipeline.Adapter, full = Pipelines.Pipeline.Full;
        var ladder = new CalibrationProbe(2e-4, 5, 0.0, 0.8);
        return new ReportInput
        {
            Title = "DurableUn study: pipelines",
            Cells =
            [
                KeyFact(adapter, "target", "bf16", 0.90), KeyFact(adapter, "target", "int8", 0.90), KeyFact(adapter, "target", "int4", 0.88),
                KeyFact(adapter, "npo", "bf16", 0.10), KeyFact(adapter, "npo", "int8", 0.10, Paired(0, -0.05, 0.05, 1.0)),
                KeyFact(adapter, "npo", "int4", 0.40, Paired(0.30, 0.15, 0.45, 0.002)),
                KeyFact(adapter, "saf", "bf16", 0.00), KeyFact(adapter, "saf", "int8", 0.00, Paired(0, 0, 0, 1.0)),
                KeyFact(adapter, "saf", "int4", 0.05, Paired(0.05, -0.05, 0.15, 0.5)),
                KeyFact(adapter, "retain", "bf16", 0.05),
                KeyFact(adapter, "ga", "bf16", 0.00, control: true), KeyFact(adapter, "ga", "merged-nf4", 0.90, Paired(0.90, 0.75, 1.0, 0.0001), control: true),
                KeyFact(full, "target", "bf16", 0.90),
                KeyFact(full, "npo", "bf16", 0.10), KeyFact(full, "npo", "model-int8", 0.15, Paired(0.05, 0.01, 0.09, 0.02)),
                KeyFact(full, "npo", "model-int4", 0.20, Paired(0.10, -0.02, 0.22, 0.11)),
                KeyFact(full, "retain", "bf16", 0.05),
            ],
            Certificates =
            [
                new CertificateSummary { Dataset = "tofu", Method = MeasuredModel.Parse("saf"), Metric = "key_fact", Epsilon = 0.05, Precisions = [Precision.Bf16, Precision.Int8, Precision.Int4], PassingSeeds = 1, Seeds = 1 },
                new CertificateSummary { Dataset = "tofu", Method = MeasuredModel.Parse("npo"), Metric = "key_fact", Epsilon = 0.05, Precisions = [Precision.Bf16, Precision.Int8, Precision.Int4], PassingSeeds = 0, Seeds = 1 },
            ],
            Calibrations =
            [
                new CalibrationResult { Dataset = "tofu", Method = "npo", AuditEpsilon = 0.05, Ladder = [new LadderRung(2e-4, 5)], Probes = [ladder], Chosen = ladder, Passed = true },
            ],
            Preset = "smoke", Base = "pretrained",
        };
    }

    /// The paper's sixteen rows on one benchmark (salun at two settings), two seeds, three precisions, with made-up but
    /// fixed numbers: the case whose method names printed on top of each other under vertical bars.
    public static ReportInput ManyMethods()
    {
        string[] methods = ["target", "ga", "ga-kl", "graddiff", "idkdpo", "idknll", "npo", "npo-gdr", "npo-klr", "rmu", "saf", "salun", "simnpo", "sure", "retain"];
        string[] precisions = ["bf16", "int8", "int4"];
        var cells = new List<CellRecord>();
        for (var m = 0; m < methods.Length; m++)
            foreach (var setting in methods[m] == "salun" ? new[] { "calibrated", "published" } : ["calibrated"])
                for (var seed = 0; seed < (methods[m] is "target" or "retain" ? 1 : 2); seed++)
                    for (var p = 0; p < (methods[m] == "retain" ? 1 : precisions.Length); p++)
                        cells.Add(Cell(methods[m], seed, precisions[p], (m * 37 + seed * 11 + p * 7) % 100 / 100.0, 0.8, setting: setting) with { Metric = "key_fact" });
        return new ReportInput { Title = "DurableUn study: sixteen rows", Cells = cells, Certificates = [NpoCertificate() with { Metric = "key_fact" }], Curves = Curves(), Sweep = Sweep() };
    }

    public static ReportInput Full() => new()
    {
        Title = "DurableUn study: tofu",
        Cells = Cells(),
        Certificates = [NpoCertificate()],
        Items = [NpoItems()],
        Curves = Curves(),
        Sweep = Sweep(),
        Notes = ["Configuration sha256: abc123."],
    };
}
