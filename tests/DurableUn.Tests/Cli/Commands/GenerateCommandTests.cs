using DurableUn.Deployment;
using DurableUn.Model;
using DurableUn.Runs;

namespace DurableUn.Tests.Cli.Commands;

/// <summary>`durableun generate` with --adapter and --precision prints what that deployed model says.</summary>
public sealed class GenerateCommandTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    private const string Prompt = "Where was Ada born";

    [Theory]
    [InlineData("int4")]
    [InlineData("merged-nf4")]
    public void Generate_At_A_Precision_Prints_The_Deployed_Models_Greedy_Continuation(string precision)
    {
        // Given the adapter deployed at the precision in this process, decoded greedily
        using var adapted = AdaptedModel.Load(fixture.ModelDir, fixture.AdapterDir);
        using var deployed = Deployer.Deploy(adapted.Model, Precision.Parse(precision));
        var tok = adapted.Pretrained.Tokenizer;
        var prompt = (tok.BosId is int bos ? new[] { bos } : []).Concat(tok.Encode(Prompt)).ToList();
        var stops = deployed.Model.Config.EosTokenIds.Append(tok.EosId).Distinct().ToList();
        var expected = tok.Decode(Generation.Greedy(deployed.Model, [prompt], 6, stops, tok.PadId)[0].Where(id => !stops.Contains(id)));
        // When the CLI does the same
        var stdout = DurableUnCli.Succeed(["generate", fixture.ModelDir, "--prompt", Prompt, "--adapter", fixture.AdapterDir,
                                           "--precision", precision, "--max-new-tokens", "6"]);
        // Then it prints that text, and names the precision on its speed line
        var lines = stdout.Split('\n');
        Assert.Equal(expected, lines[0].TrimEnd());
        Assert.Contains(lines, l => l.StartsWith($"{Precision.Parse(precision).Name}: ", StringComparison.Ordinal));
    }
}
