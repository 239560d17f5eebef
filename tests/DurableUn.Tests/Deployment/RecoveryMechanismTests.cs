using DurableUn.Adapters;
using DurableUn.Deployment;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Deployment;

/// <summary>
/// The quantization recovery mechanism at model level (docs/design.md#the-problem), constructed rather than tuned. The
/// target adapter is put on the INT4 grid (each group: s = absmax/7, values q·s). The "unlearned" adapter moves every
/// element except each group's largest by 0.4·s toward zero (zeros move up by 0.4·s): the absmax, hence s, is unchanged
/// and every value stays within 0.4·s &lt; s/2 of its grid point, so INT4 rounds it back. INT8's step is absmax/127 ≈
/// 0.055·s, so it keeps the change. In the tiny model each row of A (16) and B (r = 8) is one INT4 group and one INT8
/// row.
/// </summary>
public class RecoveryMechanismTests
{
    [Fact]
    public void An_Unlearning_Step_Below_Half_An_Int4_Step_Vanishes_At_Int4_And_Survives_At_Int8()
    {
        // Given a target adapter on the INT4 grid and an unlearned one moved by 0.4 of a step
        using var model = Adapted();
        using var ids = Ids();
        var grid = model.SnapshotAdapter().Map(t => DurableUn.Quantization.Quantizer.RoundTrip(t, new(DurableUn.Quantization.QuantFormat.Int4) { BlockSize = (int)t.shape[^1] }));
        using var target = model.WithAdapter(grid);
        using var unlearned = model.WithAdapter(grid.Map(MoveBelowHalfStep));
        // When both are deployed
        using var targetInt4 = Deployer.Deploy(target, Precision.Int4);
        using var unlearnedInt4 = Deployer.Deploy(unlearned, Precision.Int4);
        using var targetInt8 = Deployer.Deploy(target, Precision.Int8);
        using var unlearnedInt8 = Deployer.Deploy(unlearned, Precision.Int8);
        // Then at bf16-free fp32 the two differ, at INT4 they are identical, at INT8 they still differ
        Assert.True(MaxAbsDiff(target.Model.forward(ids), unlearned.Model.forward(ids)) > 1e-4f);
        Assert.Equal(0f, MaxAbsDiff(targetInt4.Model.forward(ids), unlearnedInt4.Model.forward(ids)));
        Assert.True(MaxAbsDiff(targetInt8.Model.forward(ids), unlearnedInt8.Model.forward(ids)) > 1e-4f);
    }

    /// <summary>Each row is one group: keep its largest |x|, move the rest 0.4·s toward zero (zeros up).</summary>
    private static Tensor MoveBelowHalfStep(Tensor grid)
    {
        var rows = grid.view(-1, grid.shape[^1]);                                          // (groups, G)
        var step = rows.abs().amax([1L], keepdim: true) / 7f;                                  // (groups, 1) = s
        var keep = nn.functional.one_hot(rows.abs().argmax(1), rows.shape[1]).to_type(ScalarType.Bool);
        var towardZero = where(rows > 0, -0.4f * step, 0.4f * step);                        // zeros move up, |x| shrinks
        return where(keep, rows, rows + towardZero).view(grid.shape);
    }
}
