using System.ComponentModel;
using System.Text.Json;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.Experiments.Sweeps;
using DurableUn.IO;
using DurableUn.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun report DIR`: merges whatever cells of a study or sweep folder have finished (other shards may still
/// be running) into results.json, certificates and report.md/.html, LaTeX and CSV tables. Runs no model.
/// </summary>
public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A study or sweep folder")] public string Dir { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (SweepLayout.IsSweep(s.Dir)) return ReportSweep(new SweepLayout(Path.GetFullPath(s.Dir)));
        var layout = new StudyLayout(Path.GetFullPath(s.Dir));
        if (!File.Exists(layout.Spec)) throw new FileNotFoundException($"{layout.Root} holds no study.json or sweep.json: not a study or sweep folder");
        var spec = JsonFile.Read<StudySpec>(layout.Spec, JsonDefaults.Options, s => s.Validate());
        using var study = new Study(spec, layout.Root, new StudyProgress());
        var results = study.Collect();
        var files = ReportWriter.Write(StudyReportInput.From(results, $"DurableUn study ({spec.Preset.ToString().ToLowerInvariant()})", spec), layout.Root);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(layout.Root)}[/]: {results.Cells.Count} cells, {results.Certificates.Count} certificates, {files.Count} report files");
        return 0;
    }

    private static int ReportSweep(SweepLayout layout)
    {
        var spec = JsonFile.Read<SweepSpec>(layout.Spec, JsonDefaults.Options, s => s.Validate());
        using var sweep = new Sweep(spec, layout.Root, new StudyProgress());
        var results = sweep.Collect();
        var files = ReportWriter.Write(SweepReportInput.From(results, SweepCommand.Title(spec), spec.Preparation), layout.Root);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(layout.Root)}[/]: sweep_results.json ({results.Points.Count} of {results.Planned} points), {files.Count} report files");
        return 0;
    }
}
