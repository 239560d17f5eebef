using DurableUn.Certification;
using DurableUn.Deployment;
using DurableUn.Methods;

namespace DurableUn.Tests.Certification;

public class CertificateComparisonTests
{
    private static SeedVerdict Seed(double faInt4, bool pass, double raBf16 = 0.9) => new()
    {
        Seed = 0, RunDir = "run0", AdapterSha256 = "a", OptionsSha256 = "o",
        Fa = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.02, [Precision.Parse("int4")] = faInt4 },
        Ra = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = raBf16, [Precision.Parse("int4")] = 0.9 },
        Pass = pass,
    };

    [Fact]
    public void A_Remeasurement_Within_One_Billionth_Should_Agree()
    {
        // Given FA_int4 certified as 0.04 and re-measured as 0.04 + 1e-12 (summation order)
        var found = CertificateComparison.Seed(Seed(0.04, true), Seed(0.04 + 1e-12, true));
        // Then nothing differs
        Assert.Empty(found);
    }

    [Fact]
    public void A_Changed_Fa_And_Its_Flipped_Verdict_Should_Each_Be_Listed()
    {
        // Given ε = 0.05: FA_int4 certified 0.04 (pass) and re-measured 0.30 (fail, the INT4 model recovered)
        var found = CertificateComparison.Seed(Seed(0.04, true), Seed(0.30, false)).ToList();
        // Then both the number and the verdict are listed, with the old and new values
        Assert.Equal([new Discrepancy("seed 0", "FA_int4", "0.04", "0.3"), new Discrepancy("seed 0", "verdict", "pass", "fail")], found);
    }

    [Fact]
    public void A_Changed_Ra_Or_A_Precision_No_Longer_Measured_Should_Be_Listed()
    {
        var certified = Seed(0.04, true);
        var found = CertificateComparison.Seed(certified, Seed(0.04, true, raBf16: 0.5) with
        {
            Fa = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.02 },
        }).ToList();
        Assert.Equal(["FA_int4: 0.04 → not measured", "RA_bf16: 0.9 → 0.5"], found.Select(d => $"{d.Field}: {d.Certified} → {d.Found}"));
    }

    [Fact]
    public void A_Stored_Cert_Rate_That_Disagrees_With_The_Recomputed_Seeds_Should_Be_Listed()
    {
        // Given a file that claims 1.0 and stable while the recomputed single seed fails
        var recomputed = new Certificate
        {
            Dataset = "tofu", Method = MethodCatalog.Find("saf"), Epsilon = 0.05, Precisions = [Precision.Parse("bf16"), Precision.Parse("int4")], Metric = "token_accuracy",
            BaseSha256 = "b", DataSha256 = "d", Seeds = [Seed(0.30, false)],
        };
        // Then both summary fields are listed
        Assert.Equal(["cert_rate", "stable"], CertificateComparison.Summary(1.0, true, recomputed).Select(d => d.Field));
    }
}
