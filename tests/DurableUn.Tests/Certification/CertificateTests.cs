using System.Text.Json;
using DurableUn.Certification;
using DurableUn.Deployment;
using DurableUn.IO;
using DurableUn.Methods;

namespace DurableUn.Tests.Certification;

public class CertificateTests
{
    private static SeedVerdict Seed(int seed, double bf16, double int8, double int4, double epsilon = 0.05)
    {
        var fa = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = bf16, [Precision.Parse("int8")] = int8, [Precision.Parse("int4")] = int4 };
        return new SeedVerdict
        {
            Seed = seed, RunDir = $"run{seed}", AdapterSha256 = "a", OptionsSha256 = "o", Fa = fa,
            Ra = fa.ToDictionary(kv => kv.Key, _ => 0.9), Pass = SeedVerdict.Passes(fa, [Precision.Parse("bf16"), Precision.Parse("int8"), Precision.Parse("int4")], epsilon),
        };
    }

    [Fact]
    public void Certificate_Should_Fail_A_Seed_When_Int4_Recovers_Forgotten_Answers()
    {
        // Given ε = 0.05 and three seeds: two clean, one whose INT4 model recovers (0.30 > ε) although bf16 passes
        var cert = new Certificate
        {
            Dataset = "tofu", Method = MethodCatalog.Find("npo"), Epsilon = 0.05, Precisions = [Precision.Parse("bf16"), Precision.Parse("int8"), Precision.Parse("int4")], Metric = "token_accuracy",
            BaseSha256 = "b", DataSha256 = "d",
            Seeds = [Seed(0, 0.01, 0.02, 0.04), Seed(1, 0.02, 0.02, 0.30), Seed(2, 0.00, 0.01, 0.05)],
        };
        // Then seed 1 fails, the cert rate is 2/3 and the certificate is not stable
        Assert.Equal([true, false, true], cert.Seeds.Select(s => s.Pass));
        Assert.Equal(2.0 / 3, cert.CertRate, 12);
        Assert.False(cert.Stable);
        Assert.Equal(0.30, cert.Seeds[1].MaxFa);
    }

    [Fact]
    public void A_Precision_That_Was_Not_Measured_Fails_The_Seed()
    {
        var fa = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.0 };
        Assert.False(SeedVerdict.Passes(fa, [Precision.Parse("bf16"), Precision.Parse("int4")], 0.1));
    }

    [Fact]
    public void The_Json_Artifact_Carries_Every_Field_In_Snake_Case()
    {
        var cert = new Certificate
        {
            Dataset = "tofu", Method = MethodCatalog.Find("saf"), Epsilon = 0.047, Precisions = [Precision.Parse("bf16")], Metric = "token_accuracy",
            BaseSha256 = "b", DataSha256 = "d", Seeds = [Seed(0, 0.01, 0.01, 0.01)],
        };
        var json = JsonSerializer.Serialize(cert);
        foreach (var key in new[] { "\"epsilon\":0.047", "\"cert_rate\":1", "\"stable\":true", "\"base_sha256\"", "\"adapter_sha256\"", "\"max_fa\"" })
            Assert.Contains(key, json);
    }

    [Fact]
    public void A_Folder_Hash_Changes_When_One_Byte_Changes_And_Not_When_Files_Are_Rewritten_Equal()
    {
        var dir = Directory.CreateTempSubdirectory("durableun-hash-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "a.bin"), [1, 2, 3]);
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            File.WriteAllText(Path.Combine(dir, "sub", "b.json"), "{}");
            var first = ContentHash.OfFolder(dir);
            File.WriteAllBytes(Path.Combine(dir, "a.bin"), [1, 2, 3]);
            Assert.Equal(first, ContentHash.OfFolder(dir));
            File.WriteAllBytes(Path.Combine(dir, "a.bin"), [1, 2, 4]);
            Assert.NotEqual(first, ContentHash.OfFolder(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
