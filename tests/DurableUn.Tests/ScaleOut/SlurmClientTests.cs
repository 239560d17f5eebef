using System.Runtime.Versioning;
using DurableUn.ScaleOut;

namespace DurableUn.Tests.ScaleOut;

/// Client behaviour without a cluster: a missing installation, and stand-in sbatch/scontrol scripts that print
/// what Slurm 22.05 prints. The real cluster is exercised in <see cref="SlurmArrayTests"/>.
[UnsupportedOSPlatform("windows")] // Slurm is Linux-only; the stand-ins are bash scripts
public sealed class SlurmClientTests : IDisposable
{
    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("durableun-fakeslurm-");

    public void Dispose() => _bin.Delete(recursive: true);

    private void FakeCommand(string name, string body)
    {
        var path = Path.Combine(_bin.FullName, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public void Submitting_Without_Sbatch_Should_Say_Slurm_Is_Not_Installed()
    {
        // Given a machine where sbatch is nowhere to be found
        var client = new SlurmClient(binFolder: _bin.FullName);
        // When a script is submitted
        var error = Assert.Throws<SlurmException>(() => client.Submit("job.sh"));
        // Then the message says what is missing and what to do
        Assert.Contains("'sbatch' is not installed", error.Message);
        Assert.Contains("slurm-client", error.Message);
    }

    [Fact]
    public void Submit_Should_Return_The_Job_Id_Of_A_Parsable_Reply_With_A_Cluster_Name()
    {
        FakeCommand("sbatch", """[ "$1" = --parsable ] && echo "4242;durableun" """);
        Assert.Equal("4242", new SlurmClient(binFolder: _bin.FullName).Submit("job.sh"));
    }

    [Fact]
    public void A_Rejected_Submission_Should_Carry_Sbatchs_Message()
    {
        FakeCommand("sbatch", "echo 'sbatch: error: invalid partition specified: gpu' >&2; exit 1");
        var error = Assert.Throws<SlurmException>(() => new SlurmClient(binFolder: _bin.FullName).Submit("job.sh"));
        Assert.Contains("invalid partition specified: gpu", error.Message);
    }

    [Fact]
    public void States_Should_List_Each_Array_Task_With_Its_State_And_Exit_Code()
    {
        // Given scontrol's one-line records for an array job with one task done, one failed, two pending
        FakeCommand("scontrol", """
            echo "JobId=8 ArrayJobId=7 ArrayTaskId=0 JobName=s UserId=root(0) JobState=COMPLETED Reason=None Dependency=(null) ExitCode=0:0"
            echo "JobId=9 ArrayJobId=7 ArrayTaskId=1 JobName=s UserId=root(0) JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0"
            echo "JobId=7 ArrayJobId=7 ArrayTaskId=2-3 JobName=s UserId=root(0) JobState=PENDING Reason=Resources ExitCode=0:0"
            """);
        // When read
        var states = new SlurmClient(binFolder: _bin.FullName).States("7");
        // Then
        Assert.Equal(
            [new("7", "0", "COMPLETED", "0:0"), new("7", "1", "FAILED", "3:0"), new SlurmTaskState("7", "2-3", "PENDING", "0:0")],
            states);
        Assert.Equal([true, true, false], states.Select(s => s.IsFinished));
    }

    [Fact]
    public async Task Waiting_On_A_Job_That_Never_Ends_Should_Time_Out_With_Its_States()
    {
        FakeCommand("scontrol", """echo "JobId=5 JobName=s JobState=RUNNING Reason=None ExitCode=0:0" """);
        var client = new SlurmClient(binFolder: _bin.FullName);
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => client.WaitAsync("5", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50)));
        Assert.Contains("5 RUNNING", error.Message);
    }
}
