using Spectre.Console;

namespace DurableUn.Cli;

/// <summary>
/// Option checks that run when the command line is parsed, before any model is loaded or step trained, so a bad
/// value is a usage error (exit 2) naming the option, never a failure after the work.
/// </summary>
internal static class CliChecks
{
    /// <summary>An output folder that must not exist yet: commands that create one never build over (or empty) anything.</summary>
    public static ValidationResult NewOutput(string path) =>
        Directory.Exists(path) ? ValidationResult.Error($"--out {Path.GetFullPath(path)} already exists; choose a new folder (nothing was changed)")
        : File.Exists(path) ? ValidationResult.Error($"--out {Path.GetFullPath(path)} is an existing file; choose a new folder (nothing was changed)")
        : ValidationResult.Success();

    /// <summary>Runs a parser or check of the library and turns its error into a usage error naming the option.</summary>
    public static ValidationResult Parses(Action check, string option)
    {
        try
        {
            check();
            return ValidationResult.Success();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return ValidationResult.Error($"{option}: {e.Message}");
        }
    }
}
