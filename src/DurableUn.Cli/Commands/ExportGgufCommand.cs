using System.ComponentModel;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun export gguf DIR [--adapter DIR] --type f32|f16|q8_0|q4_0 --out FILE`: a llama.cpp GGUF of the dense model,
/// or of the dense model with a PEFT adapter merged exactly (W + scale·B·A in fp32, <see cref="LoraMerge"/>) before the
/// file's type is applied, as PEFT's merge_and_unload followed by convert_hf_to_gguf.py would.
/// </summary>
public sealed class ExportGgufCommand : Command<ExportGgufCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A dense Hugging Face model folder (with tokenizer.json)")] public string Dir { get; init; } = "";
        [CommandOption("--adapter <DIR>"), Description("PEFT LoRA adapter folder to merge first")] public string? Adapter { get; init; }
        [CommandOption("--type <TYPE>"), Description("f32, f16, q8_0 or q4_0")] public string Type { get; init; } = "";
        [CommandOption("--out <FILE>"), Description("The .gguf file to write")] public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            ParseType(Type) is null ? ValidationResult.Error($"--type must be f32, f16, q8_0 or q4_0, got \"{Type}\"")
            : Out == "" ? ValidationResult.Error("--out is required")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        using var pretrained = PretrainedModel.Load(s.Dir);
        var config = pretrained.Config.Llama;
        var weights = ModelWeights.StateDict(pretrained.Model);
        try
        {
            if (s.Adapter is { } adapterDir)
            {
                var adapter = PeftAdapterFiles.Load(adapterDir, config);
                LoraMerge.Into(weights, adapter);
                foreach (var t in adapter.Tensors) t.Dispose();
            }
            GgufExport.Write(s.Out, config, weights, pretrained.Folder.TokenizerPath!, ParseType(s.Type)!.Value);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.GetFullPath(s.Out))}[/] ({s.Type}{(s.Adapter is null ? "" : ", adapter merged")})");
        return 0;
    }

    private static GgufType? ParseType(string text) => text switch
    {
        "f32" => GgufType.F32,
        "f16" => GgufType.F16,
        "q8_0" => GgufType.Q8_0,
        "q4_0" => GgufType.Q4_0,
        _ => null,
    };
}
