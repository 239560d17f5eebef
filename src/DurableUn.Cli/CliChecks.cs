using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Experiments.Specs;
using Spectre.Console;

namespace DurableUn.Cli;

/// <summary>
/// Option checks that run when the command line is parsed, before any model is loaded or step trained, so a bad
/// value is a usage error (exit 2, <see cref="CliErrors.Usage"/>) naming the option, never a failure after the work.
/// </summary>
internal static class CliChecks
{
    /// <summary>An output folder that must not exist yet: commands that create one never build over (or empty) anything.</summary>
    public static ValidationResult NewOutput(string path) =>
        Directory.Exists(path) ? ValidationResult.Error($"--out {Path.GetFullPath(path)} already exists; choose a new folder (nothing was changed)")
        : File.Exists(path) ? ValidationResult.Error($"--out {Path.GetFullPath(path)} is an existing file; choose a new folder (nothing was changed)")
        : ValidationResult.Success();

    /// <summary>Runs a parser or check of the library and turns its error into a usage error naming the option.</summary>
    public static ValidationResult Parses(Action check, string option) => Valid(check, $"{option}: ");

    /// <summary>
    /// Runs a check whose messages already name the option or key (a spec's Validate, a method's --set), as a usage
    /// error: the command refuses before any work.
    /// </summary>
    public static ValidationResult Valid(Action check, string prefix = "")
    {
        try
        {
            check();
            return ValidationResult.Success();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return ValidationResult.Error(prefix + CliErrors.Text(e));
        }
    }

    /// <summary>
    /// The precision fits the model in <paramref name="modelDir"/> (its group divides the widths in config.json), read
    /// before the weights load. A folder or config.json that cannot be read is left to the command, which names it
    /// as bad input.
    /// </summary>
    public static ValidationResult PrecisionFits(Precision? precision, string modelDir)
    {
        if (precision is null) return ValidationResult.Success();
        HfModelConfig config;
        try
        {
            config = ModelFolder.Open(modelDir).ReadConfig();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DataFormatException or CheckpointFormatException
                                      or System.Text.Json.JsonException or ArgumentException or FormatException)
        {
            return ValidationResult.Success();
        }
        return Parses(() => SpecChecks.PrecisionsFit([precision], config.Llama, $"model {modelDir}"), "--precision");
    }
}
