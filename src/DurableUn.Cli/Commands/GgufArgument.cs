namespace DurableUn.Cli.Commands;

/// <summary>The model argument of generate, logits and audit when it names a GGUF file rather than a model folder.</summary>
internal static class GgufArgument
{
    /// <summary>True for an existing file (a folder is a Hugging Face model); its header is checked when it is loaded.</summary>
    public static bool IsFile(string path) => File.Exists(path);

    /// <summary>Fails on the first option given (non-null) that a GGUF file cannot take, naming it.</summary>
    public static void Refuse(string file, params (string Option, string? Value)[] options)
    {
        foreach (var (option, value) in options)
            if (value is not null)
                throw new ArgumentException($"{option} does not apply to a GGUF file ({file}): llama.cpp runs the file as it is, greedily");
    }
}
