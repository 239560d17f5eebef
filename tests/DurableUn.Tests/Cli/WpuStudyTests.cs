using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Experiments.Results;
using DurableUn.Presets;
using DurableUn.Pretraining;
using DurableUn.Runs;

namespace DurableUn.Tests.Cli;

/// <summary>
/// WPU as its benchmark means it (docs/benchmarks.md#wpu), in the smoke study: the people are in the pretrained base, so
/// the study fine-tunes no WPU target, unlearns the base itself, and measures the floor on a second base pretrained
/// without the forget people, cached like the first.
/// </summary>
[Collection(SmokeStudyCollection.Name)]
public sealed class WpuStudyTests(SmokeStudyFixture fixture)
{
    private string Targets => Path.Combine(fixture.Study, "targets", "wpu");

    private static byte[] Weights(string folder) => File.ReadAllBytes(Path.Combine(folder, ModelFolder.SingleWeightsFile));

    [Fact]
    public void The_study_fine_tunes_no_wpu_target_and_keeps_the_floor_base_as_its_retain_model()
    {
        Assert.False(Directory.Exists(Path.Combine(Targets, "target")), "WPU's target is the base: nothing is fine-tuned for it");
        Assert.True(File.Exists(Path.Combine(Targets, "retain", ModelFolder.SingleWeightsFile)), "the retain model is a whole (floor) base");
        Assert.False(File.Exists(Path.Combine(Targets, "retain", FinetuneRun.RecordFile)), "the floor base is pretrained, not fine-tuned");
        Assert.True(File.Exists(Path.Combine(fixture.Study, "targets", "tofu", "target", FinetuneRun.RecordFile)), "TOFU's target is still fine-tuned");
    }

    [Fact]
    public void Wpu_runs_unlearn_the_cached_base_itself()
    {
        var spec = SmokeStudyFixture.Spec.Preparation;
        var (cached, trained) = PresetBase.Ensure(ModelPreset.Smoke, spec.DataSeed, spec.Pretraining, CliRunner.BaseCache);
        Assert.False(trained);
        Assert.Equal(Weights(cached), Weights(fixture.Layout.Prepared.Model));
        var cell = fixture.Cell("wpu__ga__calibrated__seed0");
        var run = UnlearnRecordFile.Read(Path.Combine(fixture.Study, cell.AdapterDir));
        Assert.Equal(Path.GetFullPath(fixture.Layout.Prepared.Model), run.TargetAdapter);
    }

    [Fact]
    public void The_floor_base_is_the_cached_floor_and_a_second_study_reuses_it_without_pretraining()
    {
        var spec = SmokeStudyFixture.Spec.Preparation;
        var (floor, trained) = PresetBase.Ensure(ModelPreset.Smoke, spec.DataSeed, spec.Pretraining, CliRunner.BaseCache, variant: BaseVariant.Floor);
        Assert.False(trained);
        Assert.Equal(Weights(floor), Weights(Path.Combine(Targets, "retain")));
        Assert.NotEqual(Weights(floor), Weights(fixture.Layout.Prepared.Model));
        var written = File.GetLastWriteTimeUtc(Path.Combine(floor, ModelFolder.SingleWeightsFile));

        var second = Path.Combine(fixture.NewFolder("wpu-again"), "study");
        CliRunner.Succeed("study", "--preset", "smoke", "--datasets", "wpu", "--methods", "ga", "--seeds", "0", "--precisions", "bf16", "--prepare-only", "--out", second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(floor, ModelFolder.SingleWeightsFile)));
        Assert.Equal(Weights(floor), Weights(Path.Combine(second, "targets", "wpu", "retain")));
    }

    [Fact]
    public void The_wpu_target_knows_its_forget_facts_better_than_the_floor()
    {
        var target = fixture.Cell("wpu__target__calibrated__seed0").Records.Single(r => r.Precision == DurableUn.Deployment.Precision.Bf16);
        var retain = fixture.Cell("wpu__retain__calibrated__seed0").Records.Single(r => r.Precision == DurableUn.Deployment.Precision.Bf16);
        Assert.True(target.FaProb > retain.FaProb, $"the base's forget answer probability {target.FaProb} should exceed the floor's {retain.FaProb}");
    }
}
