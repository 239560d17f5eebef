using DurableUn.Checkpoints;
using DurableUn.Deployment;
using DurableUn.Experiments.Cells;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.Pipelines;
using static TorchSharp.torch;

namespace DurableUn.Tests.Experiments;

[Collection(PipelineStudyCollection.Name)]
public sealed class PipelineStudyTests(PipelineStudyFixture studies)
{
    [Fact]
    public void Every_Row_Of_Each_Study_Names_Its_Pipeline()
    {
        Assert.All(PipelineStudyFixture.Results(studies.Full), r => Assert.Equal(Pipeline.Full, r.Pipeline));
        Assert.All(PipelineStudyFixture.Results(studies.Fresh), r => Assert.Equal(Pipeline.FreshAdapter, r.Pipeline));
    }

    [Fact]
    public void Every_Unlearned_Row_At_A_Quantized_Precision_Records_Its_Code_Shifts()
    {
        foreach (var study in new[] { studies.Full, studies.Fresh })
        {
            var unlearned = PipelineStudyFixture.Results(study).Where(r => !r.Method.IsReference && !r.Control).ToList();
            Assert.NotEmpty(unlearned);
            foreach (var r in unlearned)
                if (r.Precision.Format is null) Assert.Empty(r.Shifts);
                else Assert.True(r.Shifts.Count > 0, $"{study}: {r.Dataset} {r.Method} at {r.Precision} has no shifts");
        }
    }

    [Fact]
    public void Full_Pipeline_Unlearning_Changes_Every_Projection_And_Keeps_A_Whole_Model_Not_An_Adapter()
    {
        var layout = new PreparedLayout(studies.Full);
        var cell = PipelineStudyFixture.Cells(studies.Full).Single(c => c.Dataset == "tofu" && c.Method.Name == "ga" && c.Setting == CellSetting.Calibrated);
        var dir = Path.Combine(studies.Full, cell.AdapterDir);
        Assert.True(File.Exists(Path.Combine(dir, "model.safetensors")), "the unlearned model folder has its weights");
        Assert.False(File.Exists(Path.Combine(dir, "adapter_config.json")), "full-parameter unlearning makes no adapter");
        using var target = PretrainedModel.Load(layout.Target(DurableUn.Data.DatasetKind.Tofu));
        using var unlearned = PretrainedModel.Load(dir);
        var before = target.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var projections = unlearned.Model.named_parameters().Where(p => p.name.EndsWith("_proj.weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(target.Config.Llama.NumHiddenLayers * 7, projections.Count);
        foreach (var (name, p) in projections)
        {
            using var same = p.eq(before[name]).all();
            Assert.False(same.item<bool>(), $"{name} did not change");
        }
    }

    [Fact]
    public void Wpu_Unlearns_The_Pretrained_Base_Itself_In_Both_Pipelines_With_No_Target_Fine_Tuned()
    {
        foreach (var study in new[] { studies.Full, studies.Fresh })
        {
            var layout = new PreparedLayout(study);
            Assert.False(Directory.Exists(layout.Target(DurableUn.Data.DatasetKind.Wpu)), $"{study}: WPU has no fine-tuned target");
            var cells = PipelineStudyFixture.Cells(study).Where(c => c.Dataset == "wpu" && !c.Method.IsReference && c.Setting == CellSetting.Calibrated).ToList();
            Assert.NotEmpty(cells);
            foreach (var cell in cells)
                Assert.Equal(Path.GetFullPath(layout.Model), DurableUn.Runs.UnlearnRecordFile.Read(Path.Combine(study, cell.AdapterDir)).TargetAdapter);
        }
    }

    [Fact]
    public void Full_Pipeline_Wpu_Unlearning_Changes_The_Base_Weights_Themselves()
    {
        var layout = new PreparedLayout(studies.Full);
        var cell = PipelineStudyFixture.Cells(studies.Full).Single(c => c.Dataset == "wpu" && c.Method.Name == "ga" && c.Setting == CellSetting.Calibrated);
        using var target = PretrainedModel.Load(layout.Model);
        using var unlearned = PretrainedModel.Load(Path.Combine(studies.Full, cell.AdapterDir));
        var before = target.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var changed = unlearned.Model.named_parameters().Count(p =>
        {
            using var same = p.parameter.eq(before[p.name]).all();
            return !same.item<bool>();
        });
        Assert.True(changed > 0, "GA moved no weight of the base");
    }

    [Fact]
    public void The_Positive_Control_Deploys_As_The_Target_With_No_Code_Moved_In_Each_Pipeline()
    {
        foreach (var (study, precision) in new[] { (studies.Full, Precision.ModelFp4), (studies.Fresh, Precision.MergedNf4) })
        {
            var controls = PipelineStudyFixture.Cells(study).Where(c => c.Setting == PositiveControl.Setting).ToList();
            Assert.NotEmpty(controls);
            foreach (var cell in controls)
            {
                Assert.Equal("true", cell.Options["deployed_equals_target"]);
                Assert.Equal(precision.Name, cell.Options["control_precision"]);
                var target = cell.Records.Single(r => r.Method == DurableUn.Runs.MeasuredModel.Target && r.Precision == precision);
                var control = cell.Records.Single(r => r.Method != DurableUn.Runs.MeasuredModel.Target && r.Precision == precision);
                Assert.All(cell.Records, r => Assert.True(r.Control));
                Assert.Equal(target.Fa, control.Fa);
                Assert.Equal(target.Ra, control.Ra);
                Assert.All(control.Shifts, s => Assert.Equal(0, s.CodesFlipped));
            }
        }
    }

    [Fact]
    public void The_Positive_Control_Gets_No_Certificate()
    {
        foreach (var study in new[] { studies.Full, studies.Fresh })
            Assert.DoesNotContain(Directory.GetFiles(Path.Combine(study, "certificates")), f => f.Contains("__control", StringComparison.Ordinal));
    }
}
