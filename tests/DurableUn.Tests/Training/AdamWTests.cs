using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Tests.Training;

public class AdamWTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Our_Step_Equals_TorchSharps_AdamW_Bit_For_Bit(double weightDecay)
    {
        // Given two copies of the same parameters (a matrix and a vector) and one optimizer each
        manual_seed(3);
        Parameter[] ours = [new(randn(8, 16)), new(randn(16))];
        Parameter[] theirs = ours.Select(p => new Parameter(p.detach().clone())).ToArray();
        using var mine = new DurableUn.Training.AdamW(ours, 1e-2, 0.9, 0.999, 1e-8, weightDecay);
        using var reference = optim.AdamW(theirs, 1e-2, 0.9, 0.999, 1e-8, weightDecay);
        // When both take 12 steps on the same gradients, with the learning rate changed between steps
        for (var step = 0; step < 12; step++)
        {
            var lr = 1e-2 * (step + 1) / 12;
            mine.LearningRate = lr;
            foreach (var group in reference.ParamGroups) group.LearningRate = lr;
            for (var i = 0; i < ours.Length; i++)
            {
                using var g = randn(ours[i].shape);
                ours[i].grad = g.clone();
                theirs[i].grad = g.clone();
            }
            mine.Step();
            reference.step();
        }
        // Then every parameter is the same to the bit
        for (var i = 0; i < ours.Length; i++)
            Assert.True(ours[i].eq(theirs[i]).all().item<bool>(), $"parameter {i} differs by up to {(ours[i] - theirs[i]).abs().max().item<float>()}");
    }
}
