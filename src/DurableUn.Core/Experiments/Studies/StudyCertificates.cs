using DurableUn.Evaluation;
using DurableUn.Certification;
using DurableUn.IO;
using DurableUn.Runs;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Studies;

/// <summary>
/// Certificates of a study, from its cells: the FA/RA the study measured at each precision of the spec, the hashes
/// of the base, the data and each seed's adapter. `certify --verify` re-measures the adapters and must agree.
/// </summary>
public static class StudyCertificates
{
    public static Certificate Build(string dataset, MeasuredModel method, CellSetting setting, double epsilon, StudySpec spec,
                                    IReadOnlyList<CellOutcome> cells, string baseSha, string dataSha, string root)
    {
        var seeds = cells.OrderBy(c => c.Seed).Select(c =>
        {
            var fa = c.Records.ToDictionary(r => r.Precision, r => r.Fa);
            return new SeedVerdict
            {
                Seed = c.Seed,
                RunDir = Path.Combine(root, c.AdapterDir),
                AdapterSha256 = c.AdapterSha256,
                OptionsSha256 = ContentHash.OfOptions(c.Options),
                Fa = fa,
                Ra = c.Records.ToDictionary(r => r.Precision, r => r.Ra),
                Pass = SeedVerdict.Passes(fa, spec.Precisions, epsilon),
            };
        }).ToList();
        return new Certificate
        {
            Dataset = dataset, Pipeline = spec.Pipeline, Method = method.Method ?? throw new ArgumentException($"{method} is a reference model, not an unlearned one", nameof(method)),
            Setting = setting.Method ?? throw new ArgumentException($"{setting} is a sweep point, not a study's setting", nameof(setting)),
            Epsilon = epsilon, Precisions = spec.Precisions, Metric = spec.Metric.Name(), RetainEvalItems = spec.RetainEvalItems,
            BaseSha256 = baseSha, DataSha256 = dataSha, Seeds = seeds,
        };
    }
}
