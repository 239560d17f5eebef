using System.Text.Json.Nodes;

namespace DurableUn.Tests.Cli;

/// <summary>`durableun report` refuses cells it cannot trust, naming the file, and never quietly shrinks results.json.</summary>
[Collection(SmokeStudyCollection.Name)]
public sealed class ReportRefusalTests(SmokeStudyFixture study)
{
    private const string Cell = "tofu__ga__calibrated__seed0";

    [Theory]
    [InlineData("key", "is not its file name")]
    [InlineData("method", "unknown method \"frobnicate\"")]
    [InlineData("dataset", "is not one of this study's")]
    public void A_Cell_That_Disagrees_With_The_Study_Is_Refused_Naming_Its_File(string field, string problem)
    {
        // Given a copy of the study with one cell's field changed
        var copy = study.CopyOfStudy();
        var path = Path.Combine(copy, "cells", Cell + ".json");
        var cell = JsonNode.Parse(File.ReadAllText(path))!;
        cell[field] = "frobnicate";
        File.WriteAllText(path, cell.ToJsonString());
        var resultsBefore = File.ReadAllText(Path.Combine(copy, "results.json"));
        // When the report is made
        var result = CliRunner.Run("report", copy);
        // Then it fails naming the file and the problem, and results.json is untouched
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(path, result.Output);
        Assert.Contains(problem, result.Output);
        Assert.Equal(resultsBefore, File.ReadAllText(Path.Combine(copy, "results.json")));
    }

    [Fact]
    public void A_Cell_That_Is_A_Directory_Is_Refused()
    {
        var copy = study.CopyOfStudy();
        var path = Path.Combine(copy, "cells", "tofu__ga__calibrated__seed9.json");
        Directory.CreateDirectory(path);
        var result = CliRunner.Run("report", copy);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(path, result.Output);
    }

    [Fact]
    public void With_Cells_Missing_Results_Json_Is_Not_Replaced_By_An_Emptier_One()
    {
        // Given a copy of the study whose cells/ folder is gone
        var copy = study.CopyOfStudy();
        Directory.Delete(Path.Combine(copy, "cells"), recursive: true);
        var resultsBefore = File.ReadAllText(Path.Combine(copy, "results.json"));
        // When the report is made
        var result = CliRunner.Run("report", copy);
        // Then it refuses, saying cells are missing, and results.json keeps its records
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cells are missing", result.Output);
        Assert.Equal(resultsBefore, File.ReadAllText(Path.Combine(copy, "results.json")));
    }
}
