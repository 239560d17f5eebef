using DurableUn.IO;
using System.Text.Json;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Evaluation;
using DurableUn.Methods;
using DurableUn.Runs;

namespace DurableUn.Certification;

/// <summary>
/// `durableun certify`: re-measures unlearned adapters — each a folder with run.json, written by
/// `unlearn` or a study's adapters/KEY — at every precision of P, and writes an (ε, P)-durability certificate
/// (docs/design.md#durability-certificate) naming the hashes of the base, data, adapters and options. <see
/// cref="Verify"/> recomputes a certificate (hashes and measurements) and lists every difference.
/// Every measurement is the one the study makes: <see cref="AdaptedModel"/> (NF4 base + PEFT adapter), the run's
/// <see cref="UnlearningTask"/> and template, then <see cref="PrecisionEvaluation"/>.
/// Not: training, signatures (hashes can be recomputed by anyone; that is the point).
/// </summary>
/// <param name="templates">Prompt template by the name run.json records (the CLI's table).</param>
/// <param name="progress">Told before each run is measured.</param>
public sealed class Certifier(Func<string, PromptTemplate> templates, Action<string> progress)
{
    /// <summary>
    /// Certifies runs of one method on one dataset and base, each a different seed. Files that no longer match
    /// the hashes in their run.json are an error: the certificate would vouch for something other than the run.
    /// </summary>
    public Certificate Certify(IReadOnlyList<string> runDirs, CertifyOptions options)
    {
        options.Validate();
        if (runDirs.Count == 0) throw new ArgumentException("certify needs at least one run folder");
        var runs = runDirs.Select(d => (Dir: Path.GetFullPath(d), Record: UnlearnRecordFile.Read(d))).ToList();
        RequireOne(runs, r => r.Record.Method, "methods");
        RequireOne(runs, r => $"{r.Record.Data} ({r.Record.DataSha256[..12]})", "datasets");
        RequireOne(runs, r => $"{r.Record.BaseModel} ({r.Record.BaseSha256[..12]})", "base models");
        foreach (var seed in runs.GroupBy(r => r.Record.Seed).Where(g => g.Count() > 1))
            throw new ArgumentException($"seed {seed.Key} appears more than once: {string.Join(", ", seed.Select(r => r.Dir))}");
        var hashes = new HashCache();
        var stale = runs.SelectMany(r => FileChecks(r.Dir, r.Record, hashes)).ToList();
        if (stale.Count > 0)
            throw new InvalidOperationException($"files changed since the runs were made:\n  {string.Join("\n  ", stale)}");
        var first = runs[0].Record;
        return new Certificate
        {
            Dataset = DatasetNames.Of(DatasetFolder.Load(first.Data).Kind),
            Method = MethodCatalog.Find(first.Method),
            Epsilon = options.Epsilon,
            Precisions = options.Precisions,
            Metric = options.Metric.Name(),
            RetainEvalItems = options.RetainEvalItems,
            BaseSha256 = first.BaseSha256,
            DataSha256 = first.DataSha256,
            Seeds = runs.OrderBy(r => r.Record.Seed).Select(r => Measure(r.Dir, r.Record, options)).ToList(),
        };
    }

    /// <summary>
    /// Recomputes the certificate in <paramref name="certificateFile"/> with its own ε, P, metric and retain cap.
    /// First every hash of every seed (each run's files against its run.json, and run.json against the certificate):
    /// hashing takes seconds, measuring minutes, and a certificate whose files changed no longer holds whatever the
    /// numbers say, so a hash difference ends the verification there unless <paramref name="remeasure"/> asks for the
    /// measurements too. Then every FA and RA, each seed's verdict, cert_rate and stable.
    /// </summary>
    public Verification Verify(string certificateFile, bool remeasure = false)
    {
        var certified = CertificateFile.Read(certificateFile);   // refuses no seeds, a non-finite ε, relative paths resolved
        var options = CertifyOptions.Of(certified);
        var hashes = new HashCache();
        var found = new List<Discrepancy>();
        var measurable = new List<(SeedVerdict Seed, UnlearnRecord Record)>();
        foreach (var seed in certified.Seeds)
        {
            var where = $"seed {seed.Seed}";
            if (!File.Exists(Path.Combine(seed.RunDir, FinetuneRun.RecordFile)))
            {
                found.Add(new Discrepancy(where, FinetuneRun.RecordFile, seed.RunDir, "missing"));
                continue;
            }
            var record = UnlearnRecordFile.Read(seed.RunDir);
            found.AddRange(FileChecks(where, record, hashes)
                .Concat(AdapterCheck(where, seed.AdapterSha256, seed.RunDir, hashes))
                .Concat(Differ(where, "options_sha256", seed.OptionsSha256, ContentHash.OfOptions(record.Options)))
                .Concat(Differ(where, "base_sha256 (run.json)", certified.BaseSha256, record.BaseSha256))
                .Concat(Differ(where, "data_sha256 (run.json)", certified.DataSha256, record.DataSha256))
                .Concat(Differ(where, "method (run.json)", certified.Method.Name, record.Method))
                .Concat(Differ(where, "seed (run.json)", $"{seed.Seed}", $"{record.Seed}")));
            if (new[] { seed.RunDir, record.BaseModel, record.Data }.All(Directory.Exists)) measurable.Add((seed, record));   // else listed as missing above
        }
        if (found.Count > 0 && !remeasure) return new Verification(certified, certified with { Seeds = [] }, found, Measured: false);
        var seeds = new List<SeedVerdict>();
        foreach (var (seed, record) in measurable)
        {
            var measured = Measure(seed.RunDir, record, options);
            found.AddRange(CertificateComparison.Seed(seed, measured));
            seeds.Add(measured);
        }
        var recomputed = certified with { Seeds = seeds };
        var (certRate, stable) = CertificateFile.StoredSummary(certificateFile);
        found.AddRange(CertificateComparison.Summary(certRate, stable, recomputed));
        return new Verification(certified, recomputed, found, Measured: true);
    }

    private SeedVerdict Measure(string runDir, UnlearnRecord record, CertifyOptions options)
    {
        progress($"measuring {record.Method} seed {record.Seed} ({runDir}) at {string.Join(", ", options.Precisions)}");
        var task = UnlearningTask.From(DatasetFolder.Load(record.Data), retainEvalCap: options.RetainEvalItems);
        using var model = AdaptedModel.ForRun(record.Pipeline, record.BaseModel, record.TargetAdapter, runDir);
        var encoder = new QaEncoder(model.Pretrained.Tokenizer, templates(record.Template));
        var measured = PrecisionEvaluation.Measure(model.Model, options.Precisions, options.Metric, encoder, task.Forget, task.RetainEval);
        var fa = measured.ToDictionary(m => m.Precision, m => m.Forget.Aggregate);
        return new SeedVerdict
        {
            Seed = record.Seed,
            RunDir = Path.GetFullPath(runDir),
            AdapterSha256 = ContentHash.OfRun(runDir),
            OptionsSha256 = ContentHash.OfOptions(record.Options),
            Fa = fa,
            Ra = measured.ToDictionary(m => m.Precision, m => m.Retain.Aggregate),
            Pass = SeedVerdict.Passes(fa, options.Precisions, options.Epsilon),
        };
    }

    /// <summary>The base, data and target adapter folders against the hashes run.json recorded when the run was made.</summary>
    private static IEnumerable<Discrepancy> FileChecks(string where, UnlearnRecord record, HashCache hashes) =>
        Differ(where, $"base_sha256 of {record.BaseModel}", record.BaseSha256, hashes.Folder(record.BaseModel))
            .Concat(Differ(where, $"data_sha256 of {record.Data}", record.DataSha256, hashes.Folder(record.Data)))
            .Concat(Differ(where, $"target_adapter_sha256 of {record.TargetAdapter}", record.TargetAdapterSha256, hashes.Folder(record.TargetAdapter)));

    /// <summary>The adapter's content hash (<see cref="ContentHash.OfRun"/>); a certificate written before it existed
    /// hashed the whole folder, run.json included, and is accepted when that hash still matches.</summary>
    private static IEnumerable<Discrepancy> AdapterCheck(string where, string certified, string runDir, HashCache hashes)
    {
        var found = hashes.Run(runDir);
        return found == certified || hashes.Folder(runDir) == certified ? [] : [new Discrepancy(where, "adapter_sha256", certified, found)];
    }

    private static IEnumerable<Discrepancy> Differ(string where, string field, string certified, string found) =>
        certified == found ? [] : [new Discrepancy(where, field, certified, found)];

    private static void RequireOne<T>(IReadOnlyList<(string Dir, UnlearnRecord Record)> runs, Func<(string Dir, UnlearnRecord Record), T> key, string what)
    {
        var groups = runs.GroupBy(key).ToList();
        if (groups.Count > 1)
            throw new ArgumentException($"one certificate covers one method on one dataset and base, but these runs mix {what}: " +
                                        string.Join("; ", groups.Select(g => $"{g.Key} ← {string.Join(", ", g.Select(r => r.Dir))}")));
    }

    /// <summary>Folder hashes, each computed once per call (every seed shares the base and data); "missing" when gone.</summary>
    private sealed class HashCache
    {
        private readonly Dictionary<string, string> _folders = [];
        private readonly Dictionary<string, string> _runs = [];

        public string Run(string dir)
        {
            var full = Path.GetFullPath(dir);
            if (!_runs.TryGetValue(full, out var hash))
                _runs[full] = hash = Directory.Exists(full) ? ContentHash.OfRun(full) : "missing";
            return hash;
        }

        public string Folder(string dir)
        {
            var full = Path.GetFullPath(dir);
            if (!_folders.TryGetValue(full, out var hash))
                _folders[full] = hash = Directory.Exists(full) ? ContentHash.OfFolder(full) : "missing";
            return hash;
        }
    }
}
