namespace DurableUn.Cli.Values;

/// <summary>
/// A command-line value that does not parse, in the product's words ("\"abc\" is not a whole number"). The
/// converters of this folder throw it; <see cref="CliErrors"/> puts the option's name in front and exits with the
/// usage code, so no message shows a .NET type name.
/// </summary>
public sealed class OptionValueException(string message) : FormatException(message);
