using DurableUn.Model;
using DurableUn.Tensors;
using DurableUn.Tests.Model;
using DurableUn.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Tests.Training;

public class TrainerTests
{
    public TrainerTests() => NativeTorch.EnsureLoaded();

    private static (CausalLm Model, Func<int, int, Tensor> Loss) Setup(long seed)
    {
        manual_seed(seed);
        var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        var ids = tensor(new long[,] { { 1, 5, 9, 3, 17, 22, 4, 2 }, { 1, 30, 12, 12, 7, 2, 6, 11 } });
        Tensor Loss(int step, int micro)
        {
            var logits = model.forward(ids);                                          // (B, T, V)
            return nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, 32), ids[.., 1..].reshape(-1));
        }
        return (model, Loss);
    }

    [Fact]
    public void Training_Lowers_The_Loss()
    {
        var (model, loss) = Setup(1);
        var records = Trainer.Run(model.parameters().ToList(), loss, new TrainingOptions { Steps = 30, LearningRate = 1e-2, MaxGradNorm = 1 });
        Assert.True(records[^1].Loss < records[0].Loss * 0.5, $"loss went {records[0].Loss} -> {records[^1].Loss}");
    }

    [Fact]
    public void Two_Runs_With_The_Same_Seed_Give_Identical_Weights()
    {
        var options = new TrainingOptions { Steps = 5, LearningRate = 1e-2, WarmupSteps = 2, Schedule = LrSchedule.Cosine, GradientAccumulation = 2, Seed = 9 };
        var (a, lossA) = Setup(2);
        var (b, lossB) = Setup(2);
        Trainer.Run(a.parameters().ToList(), lossA, options);
        Trainer.Run(b.parameters().ToList(), lossB, options);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs");
    }

    [Fact]
    public void A_Nan_Loss_Stops_Training_And_Restores_The_Last_Good_Weights()
    {
        // Given a loss that becomes NaN at step 7, with snapshots every 5 steps
        var (model, loss) = Setup(3);
        var parameters = model.parameters().ToList();
        Tensor? atFive = null;
        var options = new TrainingOptions { Steps = 20, LearningRate = 1e-2, SnapshotEvery = 5 };
        // When training runs
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Run(parameters, (s, m) => s == 7 ? loss(s, m) * float.NaN : loss(s, m), options,
            onStep: r => { if (r.Step == 4) atFive = parameters[0].detach().clone().DetachFromDisposeScope(); }));
        // Then it names the step and the weights are those after step 5
        Assert.Contains("step 7", e.Message);
        Assert.True(parameters[0].eq(atFive!).all().item<bool>());
    }

    [Theory]
    [InlineData(0, 1e-3 * 1 / 3)]
    [InlineData(1, 1e-3 * 2 / 3)]
    [InlineData(2, 1e-3)]
    [InlineData(6, 0.5e-3)]   // cosine halfway between step 2 and step 10
    [InlineData(10, 0.0)]
    public void Warmup_Then_Cosine_Gives_The_Expected_Learning_Rate(int step, double expected)
    {
        var options = new TrainingOptions { Steps = 10, LearningRate = 1e-3, WarmupSteps = 2, Schedule = LrSchedule.Cosine };
        Assert.Equal(expected, options.LearningRateAt(step), 12);
    }

    [Fact]
    public void Invalid_Options_Name_The_Key()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainingOptions { LearningRate = -1 }.Validate());
        Assert.Contains("lr", e.Message);
    }
}
