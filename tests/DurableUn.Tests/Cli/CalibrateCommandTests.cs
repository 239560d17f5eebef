using System.Text.Json.Nodes;
using DurableUn.Data;

namespace DurableUn.Tests.Cli;

/// <summary>`durableun calibrate`: the study's preparation alone, bf16 only.</summary>
[Collection(SmokeStudyCollection.Name)]
public sealed class CalibrateCommandTests(SmokeStudyFixture study)
{
    [Fact]
    public void Calibrate_Should_Choose_What_The_Study_Chose_Without_Measuring_Int4()
    {
        // Given a folder holding the smoke study's model, data and fine-tuned adapters (the same spec builds the same
        // ones, and preparation reuses what exists, so only the reference rows and the ladder are run here)
        var outDir = study.NewFolder("calibrate");
        foreach (var part in new[] { "model", "data", "targets" }) CopyTree(Path.Combine(study.Study, part), Path.Combine(outDir, part));
        // When GA is calibrated
        var result = CliRunner.Succeed("calibrate", "--preset", "smoke", "--datasets", "tofu", "--methods", "ga", "--out", outDir);
        // Then it prints the ladder and its outcome, and chose exactly what the study's preparation chose
        Assert.Contains("tofu / ga", result.Output);
        Assert.True(result.Output.Contains("chosen:") || result.Output.Contains("none passed"), result.Output);
        var mine = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "calibration", "tofu__ga.json")))!;
        var studys = JsonNode.Parse(File.ReadAllText(study.Layout.Calibration(DatasetKind.Tofu, DurableUn.Methods.MethodCatalog.Ga)))!;
        Assert.True(JsonNode.DeepEquals(studys, mine), $"study: {studys}\ncalibrate: {mine}");
        // and nothing in its folder was measured at any precision but bf16
        var precisions = Directory.GetFiles(Path.Combine(outDir, "cells"), "*.json")
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["records"]!.AsArray().Select(r => r!["precision"]!.GetValue<string>()));
        Assert.All(precisions, p => Assert.Equal("bf16", p));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
