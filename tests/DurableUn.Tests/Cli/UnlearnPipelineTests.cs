using System.Text.Json.Nodes;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Cli;
using static TorchSharp.torch;

namespace DurableUn.Tests.Cli;

/// <summary>`unlearn --pipeline`: what --model is and what the run writes, in each pipeline.</summary>
public sealed class UnlearnPipelineTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    private string Data()
    {
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--seed", "0", "--out", data);
        return data;
    }

    [Fact]
    public void The_Full_Pipeline_Unlearns_Every_Projection_Of_The_Model_And_Writes_A_Model_Folder_Not_An_Adapter()
    {
        var output = fixture.NewPath("full");
        CliRunner.Succeed("unlearn", "--pipeline", "full", "--model", fixture.ModelDir, "--data", Data(), "--method", "ga", "--set", "steps=2",
                          "--set", "lr=1e-3", "--out", output);
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(output, "adapter_config.json")));
        Assert.Equal("full", JsonNode.Parse(File.ReadAllText(Path.Combine(output, "run.json")))!["pipeline"]!.GetValue<string>());
        var before = fixture.Weights();
        var after = ModelFolder.Open(output).LoadTensors(fixture.Config);
        var projections = before.Keys.Where(k => k.EndsWith("_proj.weight", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(projections);
        Assert.All(projections, k => Assert.False(before[k].eq(after[k]).all().item<bool>(), $"{k} did not change"));
    }

    [Fact]
    public void The_Fresh_Adapter_Pipeline_Trains_A_New_Lora_Whose_B_Starts_At_Zero_On_The_Model()
    {
        var output = fixture.NewPath("fresh");
        CliRunner.Succeed("unlearn", "--pipeline", "fresh-adapter", "--model", fixture.ModelDir, "--data", Data(), "--method", "ga", "--set", "steps=2",
                          "--out", output);
        Assert.Equal("fresh-adapter", JsonNode.Parse(File.ReadAllText(Path.Combine(output, "run.json")))!["pipeline"]!.GetValue<string>());
        var adapter = PeftAdapterFiles.Load(output, fixture.Config);
        Assert.Equal(Finetuning.QLoraDefaults.Rank, adapter.Options.Rank);
        // B started at 0 (PEFT's init) and the run moved it: every layer's B is no longer zero
        Assert.All(adapter.Layers, kv => Assert.True(kv.Value.B.abs().sum().item<float>() > 0, $"{kv.Key}: B is still zero"));
    }

    [Theory]
    [InlineData("full")]
    [InlineData("fresh-adapter")]
    public void An_Adapter_Given_To_A_Pipeline_That_Makes_Its_Own_Is_A_Usage_Error(string pipeline)
    {
        var result = CliRunner.Run("unlearn", "--pipeline", pipeline, "--model", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--data", "/nonexistent/d",
                                   "--method", "ga", "--out", fixture.NewPath("refused"));
        BadInputTests.OneLine(result, CliErrors.Usage, "--adapter");
    }
}
