using DurableUn.Certification;
using DurableUn.IO;

namespace DurableUn.Tests.IO;

/// <summary>Every way a JSON record file can be wrong is one error naming the file and, where one is at fault, the field.</summary>
public sealed class JsonFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Valid = """
        {"dataset": "tofu", "method": "ga", "epsilon": 0.1, "precisions": ["bf16"], "metric": "token_accuracy",
         "base_sha256": "0", "data_sha256": "1",
         "seeds": [{"seed": 0, "run_dir": "r", "adapter_sha256": "2", "options_sha256": "3", "fa": {"bf16": 0.1}, "ra": {"bf16": 0.9}, "pass": true}]}
        """;

    [Theory]
    [InlineData("", null, "is empty")]
    [InlineData("{\"dataset\": ", null, "line 1")]
    [InlineData("[]", null, "Certificate")]
    [InlineData("null", null, "JSON null")]
    [InlineData("{\"dataset\": \"tofu\"}", null, "method")]
    [InlineData("SEEDS[null]", "$.seeds[0]", "null")]
    [InlineData("PRECISIONS[null]", "$.precisions", "null")]
    [InlineData("FA{\"bf16\": null}", "$.seeds[0].fa", "")]
    [InlineData("METHOD null", "$.method", "null")]
    public void A_Broken_Record_File_Names_The_File_And_Field(string content, string? field, string says)
    {
        var text = content switch
        {
            "SEEDS[null]" => Valid.Replace("\"seeds\": [{", "\"seeds\": [null, {"),
            "PRECISIONS[null]" => Valid.Replace("[\"bf16\"]", "null"),
            "FA{\"bf16\": null}" => Valid.Replace("\"fa\": {\"bf16\": 0.1}", "\"fa\": {\"bf16\": null}"),
            "METHOD null" => Valid.Replace("\"ga\"", "null"),
            _ => content,
        };
        var path = Path.Combine(_dir, "certificate.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<JsonFileException>(() => JsonFile.Read<Certificate>(path, JsonDefaults.Options));
        Assert.StartsWith(path, e.Message);
        if (field is not null) Assert.StartsWith(field, e.Field);
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void A_Directory_Where_A_Record_File_Should_Be_Is_Named_As_Such()
    {
        var path = Path.Combine(_dir, "certificate.json");
        Directory.CreateDirectory(path);
        var e = Assert.Throws<JsonFileException>(() => JsonFile.Read<Certificate>(path, JsonDefaults.Options));
        Assert.Contains("is a folder, not a file", e.Message);
    }

    [Fact]
    public void A_Valid_Record_File_Reads()
    {
        var path = Path.Combine(_dir, "certificate.json");
        File.WriteAllText(path, Valid);
        Assert.Equal(0.1, Assert.Single(JsonFile.Read<Certificate>(path, JsonDefaults.Options).Seeds).Fa[DurableUn.Deployment.Precision.Bf16]);
    }
}
