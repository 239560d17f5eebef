using System.Globalization;
using DurableUn.Deployment;

namespace DurableUn.Certification;

/// <summary>
/// Compares a certified seed with its re-measurement, and a certificate's stored verdict with the recomputed one.
/// FA and RA agree when within <see cref="Tolerance"/>: re-measuring the same adapter on the same files is
/// deterministic on CPU, so anything larger means the model, data or code changed. Not: hashing or measuring.
/// </summary>
public static class CertificateComparison
{
    /// Room for summation order only; accuracies are multiples of 1/answer-tokens, far coarser than this.
    public const double Tolerance = 1e-9;

    public static IEnumerable<Discrepancy> Seed(SeedVerdict certified, SeedVerdict found)
    {
        var where = $"seed {certified.Seed}";
        foreach (var d in Numbers(where, "FA", certified.Fa, found.Fa)) yield return d;
        foreach (var d in Numbers(where, "RA", certified.Ra, found.Ra)) yield return d;
        if (certified.Pass != found.Pass) yield return new Discrepancy(where, "verdict", Verdict(certified.Pass), Verdict(found.Pass));
    }

    /// <summary>The file's cert_rate and stable against those of the recomputed seeds.</summary>
    public static IEnumerable<Discrepancy> Summary(double storedCertRate, bool storedStable, Certificate recomputed)
    {
        if (Math.Abs(storedCertRate - recomputed.CertRate) > Tolerance)
            yield return new Discrepancy("certificate", "cert_rate", Number(storedCertRate), Number(recomputed.CertRate));
        if (storedStable != recomputed.Stable)
            yield return new Discrepancy("certificate", "stable", $"{storedStable}".ToLowerInvariant(), $"{recomputed.Stable}".ToLowerInvariant());
    }

    private static IEnumerable<Discrepancy> Numbers(string where, string name, IReadOnlyDictionary<Precision, double> certified, IReadOnlyDictionary<Precision, double> found)
    {
        foreach (var (precision, value) in certified)
        {
            if (!found.TryGetValue(precision, out var now)) yield return new Discrepancy(where, $"{name}_{precision}", Number(value), "not measured");
            else if (!(Math.Abs(value - now) <= Tolerance)) yield return new Discrepancy(where, $"{name}_{precision}", Number(value), Number(now));
        }
    }

    private static string Verdict(bool pass) => pass ? "pass" : "fail";

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
