using System.ComponentModel;
using System.Diagnostics;

namespace DurableUn.ScaleOut;

/// <summary>The outcome of a finished external command.</summary>
internal sealed record ExternalResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs a program to completion and captures its output, for the short Slurm client commands (sbatch, scontrol).
/// Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>, never a shell. Both streams are read
/// concurrently, so a chatty child cannot fill one pipe and block. A missing program throws
/// <see cref="FileNotFoundException"/> naming it.
/// Not: long-running children or log files (<see cref="LocalJobs"/>); not: a timeout — these commands return
/// in seconds or the cluster is down, which callers see as an error exit.
/// </summary>
internal static class ExternalCommand
{
    public static ExternalResult Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{program}'.");
        }
        catch (Win32Exception e)
        {
            throw new FileNotFoundException($"'{program}' could not be started: {e.Message}.", program, e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return new ExternalResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
