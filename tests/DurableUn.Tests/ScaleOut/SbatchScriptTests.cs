using DurableUn.Experiments.Studies;
using DurableUn.ScaleOut;

namespace DurableUn.Tests.ScaleOut;

public sealed class SbatchScriptTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("durableun-sbatch-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static SbatchOptions Study => new()
    {
        JobName = "tofu-study",
        ArrayCount = 8,
        Command = ["durableun", "study", "specs/tofu small.json", "--shard", ShardSpec.Placeholder],
        WorkingDirectory = "/scratch/alice/durableun",
        OutputDir = "/scratch/alice/durableun/logs",
    };

    [Fact]
    public void A_Full_Request_Should_Render_Every_Directive_Then_The_Quoted_Command()
    {
        // Given every option set
        var options = Study with { Partition = "gpu", Time = "1-02:30:00", Gpus = 1, Mem = "16G", CpusPerTask = 4, MaxConcurrent = 3 };
        // When rendered
        var script = SbatchScript.Render(options);
        // Then: 0-based array with the % throttle, one log per task, the shard from the task id, words quoted
        Assert.Equal("""
            #!/bin/bash
            # Written by durableun: task i of this array runs shard i/8 of the study (0-based).
            #SBATCH --job-name=tofu-study
            #SBATCH --array=0-7%3
            #SBATCH --output=/scratch/alice/durableun/logs/%x_%A_%a.log
            #SBATCH --chdir=/scratch/alice/durableun
            #SBATCH --partition=gpu
            #SBATCH --time=1-02:30:00
            #SBATCH --gres=gpu:1
            #SBATCH --mem=16G
            #SBATCH --cpus-per-task=4
            set -euo pipefail
            exec 'durableun' 'study' 'specs/tofu small.json' '--shard' "${SLURM_ARRAY_TASK_ID}/8"

            """.ReplaceLineEndings("\n"), script);
    }

    [Fact]
    public void Unset_Resources_Should_Not_Be_Requested()
    {
        // When only the required options are given
        var script = SbatchScript.Render(Study);
        // Then the cluster's defaults apply: no partition, time, gres, mem or cpus lines, and no throttle
        Assert.DoesNotContain("--partition", script);
        Assert.DoesNotContain("--time", script);
        Assert.DoesNotContain("--gres", script);
        Assert.DoesNotContain("--mem", script);
        Assert.DoesNotContain("--cpus-per-task", script);
        Assert.Contains("#SBATCH --array=0-7\n", script);
    }

    [Fact]
    public void Bash_Should_Run_The_Command_With_The_Task_Shard_Spliced_Into_A_Word()
    {
        // Given a command whose words need quoting and whose shard sits inside a word
        var options = Study with
        {
            ArrayCount = 3,
            Command = ["printf", "%s\\n", "$HOME stays", "--shard=" + ShardSpec.Placeholder, "it's", ShardSpec.Placeholder],
        };
        var path = Path.Combine(_folder.FullName, "job.sh");
        SbatchScript.WriteTo(path, options with { OutputDir = Path.Combine(_folder.FullName, "logs") });
        // When bash runs it as array task 2 would
        var result = ExternalCommand.Run("bash", [path], new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "2" });
        // Then the program got each word verbatim with the shard "2/3" in place; the log folder exists for sbatch
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("$HOME stays\n--shard=2/3\nit's\n2/3\n", result.Stdout);
        Assert.True(Directory.Exists(Path.Combine(_folder.FullName, "logs")));
    }

    [Theory]
    [InlineData("2:00:00")]
    [InlineData("48:00:00")]
    [InlineData("0-00:10:00")]
    public void Times_Slurm_Reads_Should_Be_Accepted(string time)
    {
        SbatchScript.Render(Study with { Time = time });
    }

    [Theory]
    [InlineData(nameof(SbatchOptions.Time), "2h")]
    [InlineData(nameof(SbatchOptions.Time), "01:60:00")]
    [InlineData(nameof(SbatchOptions.Time), "1:2:3")]
    [InlineData(nameof(SbatchOptions.Mem), "16GB")]
    [InlineData(nameof(SbatchOptions.Mem), "0G")]
    [InlineData(nameof(SbatchOptions.Partition), "gpu long")]
    [InlineData(nameof(SbatchOptions.JobName), "a%b")]
    [InlineData(nameof(SbatchOptions.OutputDir), "logs")]
    [InlineData(nameof(SbatchOptions.WorkingDirectory), "/scratch/my study")]
    public void Values_Sbatch_Would_Misread_Should_Be_Rejected_Naming_The_Option(string option, string value)
    {
        // Given one bad value
        var options = option switch
        {
            nameof(SbatchOptions.Time) => Study with { Time = value },
            nameof(SbatchOptions.Mem) => Study with { Mem = value },
            nameof(SbatchOptions.Partition) => Study with { Partition = value },
            nameof(SbatchOptions.JobName) => Study with { JobName = value },
            nameof(SbatchOptions.OutputDir) => Study with { OutputDir = value },
            _ => Study with { WorkingDirectory = value },
        };
        // When / Then
        var error = Assert.Throws<ArgumentException>(() => SbatchScript.Render(options));
        Assert.Contains($"{option} = '{value}'", error.Message);
    }

    [Fact]
    public void Counts_Below_One_Should_Be_Rejected()
    {
        Assert.Throws<ArgumentException>(() => SbatchScript.Render(Study with { ArrayCount = 0 }));
        Assert.Throws<ArgumentException>(() => SbatchScript.Render(Study with { Gpus = 0 }));
        Assert.Throws<ArgumentException>(() => SbatchScript.Render(Study with { CpusPerTask = 0 }));
        Assert.Throws<ArgumentException>(() => SbatchScript.Render(Study with { MaxConcurrent = 0 }));
        Assert.Throws<ArgumentException>(() => SbatchScript.Render(Study with { Command = [] }));
    }
}
