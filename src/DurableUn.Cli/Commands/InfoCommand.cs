using DurableUn.Tokenization;
using System.ComponentModel;
using DurableUn.Checkpoints;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace DurableUn.Cli.Commands;

/// <summary>`durableun info DIR`: architecture, parameter count, vocabulary, dtype; every tensor checked.</summary>
public sealed class InfoCommand : Command<InfoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A Hugging Face model folder")]
        public string Dir { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        var folder = ModelFolder.Open(settings.Dir);
        var config = folder.ReadConfig();
        var c = config.Llama;
        if (folder.TokenizerPath is { } tokenizerPath) HfTokenizer.LoadForModel(tokenizerPath, c).Dispose(); // readable, ids within vocab_size
        var tensors = folder.LoadTensors(c);  // validates names and shapes from the headers, then reads every tensor
        try
        {
            var nonFinite = tensors.Where(kv => kv.Value.is_floating_point() && !kv.Value.isfinite().all().item<bool>()).Select(kv => kv.Key).ToList();
            var parameters = tensors.Values.Sum(t => t.numel());
            var dtypes = tensors.Values.Select(t => t.dtype.ToString()).Distinct().Order();
            var table = new Table().AddColumns("property", "value").HideHeaders();
            table.AddRow("folder", Markup.Escape(folder.Directory));
            table.AddRow("architecture", $"{Markup.Escape(config.ModelType)} ({Markup.Escape(string.Join(", ", config.Architectures))})");
            table.AddRow("layers × hidden", $"{c.NumHiddenLayers} × {c.HiddenSize} (ffn {c.IntermediateSize})");
            table.AddRow("heads", $"{c.NumAttentionHeads} query, {c.KeyValueHeads} key/value, head_dim {c.HeadDimension}");
            table.AddRow("rope", $"theta {c.RopeTheta}{(c.RopeScaling is { } s ? $", llama3 scaling ×{s.Factor}" : "")}");
            table.AddRow("vocabulary", $"{c.VocabSize}{(folder.TokenizerPath is null ? " (no tokenizer.json)" : "")}");
            table.AddRow("tied embeddings", c.TieWordEmbeddings ? "yes" : "no");
            table.AddRow("parameters", $"{parameters:N0}");
            table.AddRow("dtype", $"{Markup.Escape(c.TorchDtype)} in config; tensors {string.Join(", ", dtypes)}");
            table.AddRow("tensors", $"{tensors.Count} checked: names and shapes match config.json, {(nonFinite.Count == 0 ? "all finite" : $"[red]non-finite values in {Markup.Escape(string.Join(", ", nonFinite))}[/]")}");
            AnsiConsole.Write(table);
            return nonFinite.Count == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
