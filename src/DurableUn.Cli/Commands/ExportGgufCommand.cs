using System.ComponentModel;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun export gguf DIR [--adapter DIR] --type f32|f16|q8_0|q4_0|q4_k_m|q5_k_m|q6_k|iq4_nl --out FILE`: a llama.cpp GGUF
/// of the dense model, or of the dense model with a PEFT adapter merged exactly (W + scale·B·A in fp32, <see cref="LoraMerge"/>)
/// before the file's type is applied, as PEFT's merge_and_unload followed by convert_hf_to_gguf.py would. f32, f16,
/// q8_0 and q4_0 are written by our exporter; the k-quants and iq4_nl by llama.cpp's own quantizer from our f32 file
/// (as llama-quantize would), which prints the tensors it fell back on.
/// </summary>
public sealed class ExportGgufCommand : Command<ExportGgufCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A dense Hugging Face model folder (with tokenizer.json)")] public string Dir { get; init; } = "";
        [CommandOption("--adapter <DIR>"), Description("PEFT LoRA adapter folder to merge first")] public string? Adapter { get; init; }
        [CommandOption("--type <TYPE>"), Description("f32, f16, q8_0, q4_0 (our exporter); q4_k_m, q5_k_m, q6_k, iq4_nl (llama.cpp's quantizer)")] public string Type { get; init; } = "";
        [CommandOption("--out <FILE>"), Description("The .gguf file to write")] public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            ParseType(Type) is null && LlamaQuantized(Type) is null ? ValidationResult.Error($"--type must be f32, f16, q8_0, q4_0, q4_k_m, q5_k_m, q6_k or iq4_nl, got \"{Type}\"")
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
            if (LlamaQuantized(s.Type) is { } llama)
            {
                var f32 = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(s.Out))!, $".{Path.GetFileName(s.Out)}.f32.tmp");
                try
                {
                    GgufExport.Write(f32, config, weights, pretrained.Folder.TokenizerPath!, GgufType.F32);
                    var written = LlamaCpp.LlamaCppQuantizer.Quantize(f32, s.Out, llama);
                    foreach (var f in written.Fallbacks)
                        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(f.Tensor)}: rows of {f.RowLength}, stored as {f.Given.ToString().ToLowerInvariant()} (llama.cpp's fallback)[/]");
                }
                finally
                {
                    File.Delete(f32);
                }
            }
            else GgufExport.Write(s.Out, config, weights, pretrained.Folder.TokenizerPath!, ParseType(s.Type)!.Value);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.GetFullPath(s.Out))}[/] ({s.Type}{(s.Adapter is null ? "" : ", adapter merged")})");
        return 0;
    }

    /// <summary>The llama.cpp file types our exporter does not write itself.</summary>
    private static LlamaCpp.LlamaFileType? LlamaQuantized(string text) =>
        ParseType(text) is null ? LlamaCpp.LlamaFileTypes.TryParse(text) : null;

    private static GgufType? ParseType(string text) => text switch
    {
        "f32" => GgufType.F32,
        "f16" => GgufType.F16,
        "q8_0" => GgufType.Q8_0,
        "q4_0" => GgufType.Q4_0,
        _ => null,
    };
}
