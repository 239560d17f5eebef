namespace DurableUn.Checkpoints;

/// <summary>A JSON file of a checkpoint (config.json, generation_config.json, ...) holds a key of the wrong type or
/// an invalid value, or a checkpoint's tensors do not match its config. The message names the file, the key (or
/// tensor) and the offending value, so a user can fix the file without reading our code.</summary>
public sealed class CheckpointFormatException(string file, string? key, string? value, string detail)
    : Exception($"{file}: {(key is null ? "" : value is null ? $"{key}: " : $"{key} = {value}: ")}{detail}")
{
    public string File { get; } = file;
    /// <summary>The JSON key (dotted for nested keys, e.g. "rope_scaling.factor") or tensor name; null for whole-file problems.</summary>
    public string? Key { get; } = key;
    /// <summary>The offending value as JSON text; null when the key is missing.</summary>
    public string? Value { get; } = value;
}
