using System.Text.Json;
using System.Text.Json.Nodes;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Experiments.Specs;
using DurableUn.Methods;
using DurableUn.IO;
using DurableUn.Presets;

namespace DurableUn.Tests.Experiments;

public sealed class StudySpecMetricTests
{
    [Fact]
    public void A_new_study_measures_key_fact_recall_whose_floor_is_near_zero()
    {
        Assert.Equal(AccuracyMetric.KeyFact, new StudySpec().Metric);
        Assert.Equal(AccuracyMetric.KeyFact, StudySpec.Smoke.Metric);
    }

    [Fact]
    public void An_old_study_json_that_names_token_accuracy_keeps_loading_with_it()
    {
        var dir = Directory.CreateTempSubdirectory("durableun-spec-").FullName;
        try
        {
            var path = Path.Combine(dir, "study.json");
            var old = JsonSerializer.Serialize(StudySpec.Smoke, JsonDefaults.Options).Replace("\"key_fact\"", "\"token_accuracy\"");
            File.WriteAllText(path, old);
            var spec = JsonFile.Read<StudySpec>(path, JsonDefaults.Options, s => s.Validate());
            Assert.Equal(AccuracyMetric.TokenAccuracy, spec.Metric);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// study.json as the string-typed spec wrote it (precisions, suite precisions, methods and metric by name).
    private const string OldStudyJson = """
        {
          "preset": "smoke",
          "datasets": ["tofu", "wpu"],
          "methods": ["ga", "saf"],
          "seeds": [0, 1],
          "precisions": ["bf16", "int8", "int4", "int4:g32", "merged-nf4"],
          "metric": "token_accuracy",
          "data_seed": 0,
          "audit_epsilon": null,
          "audit_margin": 0.05,
          "epsilon": null,
          "published_rows": ["salun"],
          "batch_size": 8,
          "ladder_lr": [0.0002, 0.0005],
          "ladder_steps": [5, 10],
          "suite_precisions": ["bf16", "int4:g32"],
          "retain_eval_items": 20
        }
        """;

    [Fact]
    public void An_old_string_typed_study_json_loads_as_typed_values_and_writes_back_the_same_names()
    {
        var dir = Directory.CreateTempSubdirectory("durableun-spec-").FullName;
        try
        {
            // Given a study.json written before the spec held typed values
            var path = Path.Combine(dir, "study.json");
            File.WriteAllText(path, OldStudyJson);
            // When it is read
            var spec = JsonFile.Read<StudySpec>(path, JsonDefaults.Options, s => s.Validate());
            // Then the precisions and metric are the typed values of those names
            Assert.Equal([Precision.Bf16, Precision.Int8, Precision.Int4, Precision.Parse("int4:g32"), Precision.MergedNf4], spec.Precisions);
            Assert.Equal([Precision.Bf16, Precision.Parse("int4:g32")], spec.SuitePrecisions);
            Assert.Equal(AccuracyMetric.TokenAccuracy, spec.Metric);
            Assert.Equal(ModelPreset.Smoke, spec.Preset);
            Assert.Equal([DatasetKind.Tofu, DatasetKind.Wpu], spec.Datasets);
            // And the methods are the catalog's entries of those names
            Assert.Equal([MethodCatalog.Ga, MethodCatalog.Saf], spec.Methods);
            Assert.Equal([MethodCatalog.SalUn], spec.PublishedRows);
            // And writing it again names them exactly as the old file did
            var written = JsonNode.Parse(JsonSerializer.Serialize(spec, JsonDefaults.Options))!;
            var old = JsonNode.Parse(OldStudyJson)!;
            foreach (var field in new[] { "precisions", "suite_precisions", "metric", "methods", "published_rows" })
                Assert.True(JsonNode.DeepEquals(old[field], written[field]), $"{field}: {written[field]?.ToJsonString()}");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_study_json_naming_an_unknown_precision_fails_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("durableun-spec-").FullName;
        try
        {
            var path = Path.Combine(dir, "study.json");
            File.WriteAllText(path, OldStudyJson.Replace("\"int4:g32\", \"merged-nf4\"", "\"int3\""));
            var e = Assert.ThrowsAny<Exception>(() => JsonFile.Read<StudySpec>(path, JsonDefaults.Options, s => s.Validate()));
            Assert.Contains("int3", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_study_json_naming_an_unknown_method_fails_naming_it_and_the_catalog()
    {
        var dir = Directory.CreateTempSubdirectory("durableun-spec-").FullName;
        try
        {
            var path = Path.Combine(dir, "study.json");
            File.WriteAllText(path, OldStudyJson.Replace("[\"ga\", \"saf\"]", "[\"ga\", \"gaa\"]"));
            var e = Assert.ThrowsAny<Exception>(() => JsonFile.Read<StudySpec>(path, JsonDefaults.Options, s => s.Validate()));
            Assert.Contains("\"gaa\"", e.Message);
            Assert.Contains("npo-gdr", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
