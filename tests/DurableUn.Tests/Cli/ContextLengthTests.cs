using System.Text.Json.Nodes;
using DurableUn.Cli;

namespace DurableUn.Tests.Cli;

/// <summary>A QA row longer than the model's context is refused before any training, not cut short.</summary>
public sealed class ContextLengthTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    [Theory]
    [InlineData("finetune")]
    [InlineData("unlearn")]
    public void A_Forget_Answer_Longer_Than_The_Context_Is_One_Line_Naming_Folder_Split_And_Row(string command)
    {
        // Given a TOFU folder whose first forget answer runs on for ~3000 more words (under the 1 MiB record limit; its
        // key fact stays where it was)
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--seed", "0", "--out", data);
        var file = Path.Combine(data, "forget10.json");
        var rows = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        rows[0]!["answer"] = rows[0]!["answer"]!.GetValue<string>() + " " + string.Join(' ', Enumerable.Repeat("the author wrote many long books", 600));
        File.WriteAllText(file, rows.ToJsonString());
        var output = fixture.NewPath("out");
        // When it is fine-tuned on, or unlearned
        string[] args = command == "finetune"
            ? ["finetune", "--model", fixture.ModelDir, "--data", data, "--split", "full", "--steps", "1", "--out", output]
            : ["unlearn", "--model", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--data", data, "--method", "ga", "--out", output];
        // Then one line names the folder, the split and row 0 and says it does not fit; nothing is written
        var line = BadInputTests.OneLine(CliRunner.Run(args), CliErrors.BadInput, data, "forget split", "longer than the model's context");
        Assert.Contains("row 0", line);
        Assert.False(Directory.Exists(output));
    }
}
