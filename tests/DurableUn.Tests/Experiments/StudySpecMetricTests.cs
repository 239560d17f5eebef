using DurableUn.Experiments;
using DurableUn.IO;

namespace DurableUn.Tests.Experiments;

public sealed class StudySpecMetricTests
{
    [Fact]
    public void A_new_study_measures_key_fact_recall_whose_floor_is_near_zero()
    {
        Assert.Equal("key_fact", new StudySpec().Metric);
        Assert.Equal("key_fact", StudySpec.Smoke.Metric);
    }

    [Fact]
    public void An_old_study_json_that_names_token_accuracy_keeps_loading_with_it()
    {
        var dir = Directory.CreateTempSubdirectory("durableun-spec-").FullName;
        try
        {
            var path = Path.Combine(dir, "study.json");
            var old = System.Text.Json.JsonSerializer.Serialize(StudySpec.Smoke, JsonDefaults.Options).Replace("\"key_fact\"", "\"token_accuracy\"");
            File.WriteAllText(path, old);
            var spec = JsonFile.Read<StudySpec>(path, JsonDefaults.Options, s => s.Validate());
            Assert.Equal("token_accuracy", spec.Metric);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
