namespace DurableUn.Tests.Cli;

/// <summary>The command tree's help, and settings that must be refused before any model is loaded or trained.</summary>
public sealed class CommandLineTests
{
    private static readonly string[] Commands =
        ["init", "pretrain", "info", "generate", "finetune", "methods", "unlearn", "calibrate", "study", "report", "certify", "audit", "data"];

    [Fact]
    public void Help_Should_List_Every_Command_On_One_Line_With_Its_Description()
    {
        // When the top-level help is printed
        var result = CliRunner.Run("--help");
        // Then every command starts exactly one line, and that line also carries a description
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n').Select(l => l.Trim()).ToList();
        foreach (var command in Commands)
        {
            var own = lines.Where(l => l.Split(' ', 2)[0] == command).ToList();
            Assert.True(own.Count == 1, $"`{command}` starts {own.Count} help lines:\n{result.Output}");
            Assert.True(own[0].Length > command.Length + 10, $"`{command}` has no description: {own[0]}");
        }
    }

    [Fact]
    public void Calibrate_Help_Should_Say_It_Never_Looks_At_Int4()
    {
        var result = CliRunner.Run("--help");
        Assert.Contains(result.Output.Split('\n'), l => l.TrimStart().StartsWith("calibrate", StringComparison.Ordinal) && l.Contains("Never looks at INT4"));
    }

    [Theory]
    [InlineData("--method", "no-such-method", "no-such-method")]
    [InlineData("--set", "no_such_key=1", "no_such_key")]
    [InlineData("--set", "lr=fast", "lr=fast")]
    public void Unlearn_Should_Refuse_A_Bad_Setting_Before_Training_Naming_It(string option, string value, string named)
    {
        // Given paths that do not exist: reaching them would be a different error, so the setting is checked first
        string[] args = ["unlearn", "--model", "/nonexistent/model", "--adapter", "/nonexistent/adapter", "--data", "/nonexistent/data",
                         "--method", "ga", "--out", "/nonexistent/out"];
        args = option == "--method" ? args.Select(a => a == "ga" ? value : a).ToArray() : [.. args, option, value];
        // When unlearn runs
        var result = CliRunner.Run(args);
        // Then it fails naming the method, key or value, and not the missing folders
        Assert.Equal(DurableUn.Cli.CliErrors.Usage, result.ExitCode);
        Assert.Contains(named, result.Output);
        Assert.DoesNotContain("nonexistent", result.Output);
    }

    [Fact]
    public void Study_Should_Refuse_An_Unknown_Method_Before_Preparing_Anything()
    {
        // Given a study folder that does not exist yet
        var outDir = Path.Combine(Path.GetTempPath(), $"durableun-never-{Guid.NewGuid():N}");
        // When a study names an unknown method
        var result = CliRunner.Run("study", "--preset", "smoke", "--methods", "ga,no-such-method", "--out", outDir);
        // Then it fails naming it, and no folder was created
        Assert.Equal(DurableUn.Cli.CliErrors.Usage, result.ExitCode);
        Assert.Contains("no-such-method", result.Output);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Certify_Should_Require_Epsilon_Or_Verify()
    {
        var result = CliRunner.Run("certify", "/some/run");
        Assert.Equal(DurableUn.Cli.CliErrors.Usage, result.ExitCode);
        Assert.Contains("--epsilon", result.Output);
    }
}
