using System.Buffers.Binary;
using System.Text.Json.Nodes;
using DurableUn.Adapters;
using DurableUn.Certification;

namespace DurableUn.Tests.Cli;

/// <summary>`durableun certify` and `certify --verify` on the smoke study's adapters and on `unlearn` outputs.</summary>
[Collection(SmokeStudyCollection.Name)]
public sealed class CertifyCommandTests(SmokeStudyFixture study)
{
    private string StudyCertificate => Path.Combine(study.Layout.Certificates, "tofu__saf__calibrated.json");

    [Fact]
    public void Verifying_A_Study_Certificate_Should_Hold()
    {
        // When a certificate the study wrote is verified: every hash and every FA recomputed from adapters/KEY
        var result = CliRunner.Run("certify", "--verify", StudyCertificate);
        // Then it holds
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("holds: ", result.Output);
    }

    [Fact]
    public void Verifying_Should_Fail_After_One_Byte_Of_An_Adapter_Tensor_Changes()
    {
        // Given a copy of the certificate whose seed 0 points at a copy of its adapter with one weight byte flipped
        var certificate = JsonNode.Parse(File.ReadAllText(StudyCertificate))!;
        var seed0 = certificate["seeds"]![0]!;
        var copy = Path.Combine(study.NewFolder("tampered"), "adapter");
        CopyFolder(Path.GetFullPath(seed0["run_dir"]!.GetValue<string>(), study.Layout.Certificates), copy);   // stored relative to the certificate
        FlipFirstTensorByte(Path.Combine(copy, PeftAdapterFiles.WeightsFile));
        seed0["run_dir"] = copy;
        var file = Path.Combine(Path.GetDirectoryName(copy)!, "certificate.json");
        File.WriteAllText(file, certificate.ToJsonString());
        // When it is verified
        var result = CliRunner.Run("certify", "--verify", file);
        // Then it does not hold, the adapter's hash is named as what changed, and nothing was measured after it
        Assert.Equal(DurableUn.Cli.CliErrors.NotDurable, result.ExitCode);
        Assert.Contains("seed 0: adapter_sha256 was", result.Output);
        Assert.Contains("does not hold", result.Output);
        Assert.Contains("nothing was measured", result.Output);
        Assert.DoesNotContain("measuring ", result.Output);
    }

    [Fact]
    public void A_Copied_Study_Verifies_Against_Its_Own_Files_And_Fails_When_Its_Adapter_Is_Damaged()
    {
        // Given a copy of the whole study folder elsewhere (as a Slurm user moves results)
        var copy = study.CopyOfStudy();
        var certificate = Path.Combine(copy, "certificates", "tofu__saf__calibrated.json");
        // When its certificate is verified, it holds on the copy's own files
        var intact = CliRunner.Run("certify", "--verify", certificate);
        Assert.True(intact.ExitCode == 0, intact.Output);
        // and after one byte of the copy's seed-0 adapter changes, it no longer holds, while the original still does
        FlipFirstTensorByte(Path.Combine(copy, "adapters", "tofu__saf__calibrated__seed0", PeftAdapterFiles.WeightsFile));
        var damaged = CliRunner.Run("certify", "--verify", certificate);
        Assert.Equal(DurableUn.Cli.CliErrors.NotDurable, damaged.ExitCode);
        Assert.Contains("seed 0: adapter_sha256 was", damaged.Output);
        Assert.DoesNotContain("measuring ", damaged.Output);    // the hash already decides; nothing is re-measured
        // --remeasure measures every seed anyway, and it still does not hold
        var remeasured = CliRunner.Run("certify", "--verify", certificate, "--remeasure");
        Assert.Equal(DurableUn.Cli.CliErrors.NotDurable, remeasured.ExitCode);
        Assert.Contains("measuring ", remeasured.Output);
        Assert.Contains("seed 0: adapter_sha256 was", remeasured.Output);
        Assert.Equal(0, CliRunner.Run("certify", "--verify", StudyCertificate).ExitCode);
    }

    [Fact]
    public void A_Certificate_Without_Seeds_Or_With_An_Infinite_Epsilon_Is_Refused_Naming_The_File()
    {
        var folder = study.NewFolder("hollow");
        foreach (var (name, edit) in new (string, Action<JsonNode>)[]
                 {
                     ("no-seeds.json", c => c["seeds"] = new JsonArray()),
                     ("infinite.json", c => c["epsilon"] = JsonNode.Parse("1e400")),
                 })
        {
            var certificate = JsonNode.Parse(File.ReadAllText(StudyCertificate))!;
            edit(certificate);
            var file = Path.Combine(folder, name);
            File.WriteAllText(file, certificate.ToJsonString());
            var result = CliRunner.Run("certify", "--verify", file);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(file, result.Output);
            Assert.DoesNotContain("holds: ", result.Output);
        }
    }

    [Fact]
    public void Certifying_Two_Unlearn_Seeds_Should_Pass_Both_At_Epsilon_One_And_Only_Perfect_Forgetting_At_Zero()
    {
        // Given two `unlearn` runs (GA, seeds 0 and 1, 3 steps) from the study's target adapter
        var folder = study.NewFolder("unlearn");
        var runs = new[] { 0, 1 }.Select(seed => Unlearn(folder, seed)).ToArray();
        // When they are certified with ε = 1 (every accuracy is ≤ 1) and with ε = 0 (only FA = 0 everywhere passes)
        var all = Certify(folder, runs, "1.0");
        Certify(folder, runs, "0");
        // Then every seed passes the first, and in the second exactly the seeds whose FA is 0 at every precision pass
        Assert.Equal((1.0, true), all);
        Assert.All(CertificateFile.Read(Path.Combine(folder, "cert0.json")).Seeds, s => Assert.Equal(s.Fa.Values.All(fa => fa <= 0), s.Pass));
        // and an ε outside [0, 1] is refused before anything is measured
        Assert.Equal(2, CliRunner.Run(["certify", .. runs, "--epsilon", "-1", "--out", Path.Combine(folder, "never.json")]).ExitCode);
        // and the certificate written verifies
        Assert.Equal(0, CliRunner.Run("certify", "--verify", Path.Combine(folder, "cert1.0.json")).ExitCode);
    }

    [Fact]
    public void Certifying_Runs_Of_Two_Methods_Should_Fail_Naming_Both()
    {
        // When the study's GA and SAF adapters are certified together
        var ga = study.Layout.Prepared.Adapter("tofu__ga__calibrated__seed0");
        var saf = study.Layout.Prepared.Adapter("tofu__saf__calibrated__seed0");
        var result = CliRunner.Run("certify", ga, saf, "--epsilon", "0.5", "--out", Path.Combine(study.NewFolder("mixed"), "c.json"));
        // Then it is an error that names both methods, before anything is measured
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("mix methods", result.Output);
        Assert.Contains("ga ←", result.Output);
        Assert.Contains("saf ←", result.Output);
    }

    private string Unlearn(string folder, int seed)
    {
        var dir = Path.Combine(folder, $"u{seed}");
        CliRunner.Succeed("unlearn", "--model", study.Layout.Prepared.Model, "--adapter", Path.Combine(study.Study, "targets", "tofu", "target"),
            "--data", Path.Combine(study.Study, "data", "tofu"), "--method", "ga", "--seed", $"{seed}", "--set", "steps=3", "--out", dir);
        return dir;
    }

    private static (double CertRate, bool Stable) Certify(string folder, string[] runs, string epsilon)
    {
        var file = Path.Combine(folder, $"cert{epsilon}.json");
        CliRunner.Succeed(["certify", .. runs, "--epsilon", epsilon, "--out", file]);
        var certificate = CertificateFile.Read(file);
        Assert.Equal([0, 1], certificate.Seeds.Select(s => s.Seed));
        Assert.All(certificate.Seeds, s => Assert.Equal(["bf16", "int8", "int4"], s.Fa.Keys.Select(p => p.Name)));
        return (certificate.CertRate, certificate.Stable);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    /// Safetensors: an 8-byte little-endian header length, the JSON header, then the tensor bytes. Flipping the
    /// low bit of the first data byte changes one weight's mantissa and leaves the file valid.
    private static void FlipFirstTensorByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var dataStart = 8 + checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        bytes[dataStart] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
