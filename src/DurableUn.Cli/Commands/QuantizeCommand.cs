using System.ComponentModel;
using DurableUn.Adapters;
using DurableUn.Quantization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun quantize DIR --format nf4|fp4 [--double-quant] [--blocksize N] --out DIR`: a dense model folder written as
/// a bitsandbytes 4-bit checkpoint (<see cref="BnbFolder"/>), which transformers, PEFT and `BnbCheckpoint.Read` load.
/// </summary>
public sealed class QuantizeCommand : Command<QuantizeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A dense Hugging Face model folder")] public string Dir { get; init; } = "";
        [CommandOption("--format <FORMAT>"), Description("nf4 (QLoRA) or fp4 (bitsandbytes' default)")] public string Format { get; init; } = "";
        [CommandOption("--double-quant"), Description("Quantize the absmax scales again to 8 bits (QLoRA)")] public bool DoubleQuant { get; init; }
        [CommandOption("--blocksize <N>"), Description("Weights per absmax, a power of two from 32 to 4096 (default 64)")] public int BlockSize { get; init; } = Nf4.DefaultBlockSize;
        [CommandOption("--out <DIR>"), Description("New folder to write")] public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            Format is not ("nf4" or "fp4") ? ValidationResult.Error($"--format must be nf4 or fp4, got \"{Format}\"")
            : Out == "" ? ValidationResult.Error("--out is required")
            : CliChecks.Valid(() => Options(this), "--blocksize: ") is { Successful: false } bad ? bad
            : CliChecks.NewOutput(Out);
    }

    private static QLoraOptions Options(Settings s) => new QLoraOptions
    {
        BaseFormat = s.Format == "nf4" ? QuantFormat.Nf4 : QuantFormat.Fp4, BlockSize = s.BlockSize, DoubleQuant = s.DoubleQuant,
    }.Validate();

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        var options = Options(s);
        BnbFolder.Quantize(s.Dir, s.Out, options);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.GetFullPath(s.Out))}[/] ({s.Format}, blocksize {s.BlockSize}{(s.DoubleQuant ? ", double quant" : "")})");
        return 0;
    }
}
