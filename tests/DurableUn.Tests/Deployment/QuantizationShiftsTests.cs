using DurableUn.Deployment;
using DurableUn.Quantization;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Deployment;

/// <summary>
/// Code-flip statistics on adapter pairs built so that the answer is known. The target adapter is put on the INT4
/// grid (each row of A (16) and B (r = 8) is one group in the fixture: s = absmax/7, values q·s). The "unlearned"
/// one keeps each row's largest element (so s is unchanged), moves the first other element 0.6·s toward zero (its code
/// changes by one: 1.2 half-steps) and every remaining element 0.1·s toward zero (0.2 half-steps, codes kept).
/// </summary>
public class QuantizationShiftsTests
{
    [Fact]
    public void Int4_Counts_Exactly_One_Flipped_Code_Per_Group_And_Bins_The_Moves_In_Half_Steps()
    {
        // Given a target on the INT4 grid and an unlearned adapter with one whole-code move per row
        using var model = Adapted();
        var grid = model.SnapshotAdapter().Map(t => Quantizer.RoundTrip(t, new(QuantFormat.Int4) { BlockSize = (int)t.shape[^1] }));
        using var target = model.WithAdapter(grid);
        using var unlearned = model.WithAdapter(grid.Map(OneFlipPerRow));
        // When the shifts are measured at INT4
        var shifts = QuantizationShifts.Measure(target, unlearned, Precision.Int4).ToDictionary(s => s.Group);
        // Then each group has exactly one flip per row; moves of 0.2 half-steps (and the kept maxima, 0) fill the first
        // bin, the flipped ones the [1, 2) bin, and the median is 0.2 half-steps
        Assert.Equal(["A", "B"], shifts.Keys.Order());
        foreach (var group in new[] { "A", "B" })
        {
            var s = shifts[group];
            var matrices = grid.Layers.Values.Select(w => group == "A" ? w.A : w.B).ToList();
            var perRow = (double)matrices.Sum(m => m.shape[0]) / matrices.Sum(m => m.numel());
            Assert.Equal(perRow, s.CodesFlipped, 1e-9);
            Assert.Equal([Math.Round(1 - perRow, 9), 0, 0, Math.Round(perRow, 9), 0], s.HalfStepHistogram.Select(h => Math.Round(h, 9)));
            Assert.Equal(0.2, s.MedianHalfSteps, 1e-4);
        }
    }

    [Fact]
    public void Int8s_Finer_Step_Sees_The_Small_Moves_As_Flips()
    {
        // INT8's step is absmax/127 ≈ 0.055·s, so even the 0.1·s moves are ≈ 3.6 half-steps and change codes
        using var model = Adapted();
        var grid = model.SnapshotAdapter().Map(t => Quantizer.RoundTrip(t, new(QuantFormat.Int4) { BlockSize = (int)t.shape[^1] }));
        using var target = model.WithAdapter(grid);
        using var unlearned = model.WithAdapter(grid.Map(OneFlipPerRow));
        var a = QuantizationShifts.Measure(target, unlearned, Precision.Int8).Single(s => s.Group == "A");
        var rowsPerElement = (double)grid.Layers.Values.Sum(w => w.A.shape[0]) / grid.Layers.Values.Sum(w => w.A.numel());
        Assert.Equal(1 - rowsPerElement, a.CodesFlipped, 1e-9);                       // all but each row's kept maximum
        Assert.Equal(0.1 * 127 / 7 * 2, a.MedianHalfSteps, 1e-3);
    }

    [Fact]
    public void Merged_Precisions_Compare_Merged_Weights_And_Unquantized_Ones_Have_No_Codes()
    {
        using var model = Adapted();
        using var same = model.WithAdapter(model.SnapshotAdapter());
        var merged = QuantizationShifts.Measure(model, same, Precision.MergedInt4).Single();
        Assert.Equal("merged", merged.Group);
        Assert.Equal(0, merged.CodesFlipped);
        Assert.Equal([1.0, 0, 0, 0, 0], merged.HalfStepHistogram);
        Assert.Empty(QuantizationShifts.Measure(model, same, Precision.Bf16));
        Assert.Empty(QuantizationShifts.Measure(model, same, Precision.MergedFp32));
    }

    [Fact]
    public void Nf4s_Step_Is_The_Mean_Codebook_Gap_Times_The_Block_Absmax()
    {
        // Given a block of 64 with absmax 1 (step 2/15): element 1 (−0.968) moves by 1/15, element 2 (−0.937) by 0.2
        var target = linspace(-1, 1, 64);                                                // (64,)
        var moved = target.clone();
        moved[1] = moved[1] + 1f / 15;
        moved[2] = moved[2] + 0.2f;
        var (flipped, halfSteps) = QuantizationShifts.Compare(target, moved, new QuantSpec(QuantFormat.Nf4) { BlockSize = 64 });
        // Then they are 1 and 3 half-steps away, the others 0
        Assert.Equal(1.0, halfSteps[1].item<float>(), 1e-4);
        Assert.Equal(3.0, halfSteps[2].item<float>(), 1e-4);
        Assert.Equal(4.0, halfSteps.sum().item<float>(), 1e-4);
        // And only element 2 changes code: NF4's codes near −1 are 0.30 apart (−1, −0.696), wider than the mean gap, so
        // −0.902 still rounds to −1 while −0.737 rounds to −0.696
        Assert.Equal([2L], nonzero(flipped).reshape(-1).data<long>().ToArray());
    }

    /// <summary>Per row (one group): keep the largest |x|, move the first other element 0.6·s toward zero (zeros up),
    /// and the rest 0.1·s.</summary>
    private static Tensor OneFlipPerRow(Tensor grid)
    {
        var rows = grid.view(-1, grid.shape[^1]);                                           // (groups, G)
        var step = rows.abs().amax([1L], keepdim: true) / 7f;                              // (groups, 1) = s
        var maxAt = rows.abs().argmax(1);                                                   // (groups,)
        var keep = nn.functional.one_hot(maxAt, rows.shape[1]).to_type(ScalarType.Bool);
        var first = nn.functional.one_hot((maxAt == 0).to_type(ScalarType.Int64), rows.shape[1]).to_type(ScalarType.Bool);
        var size = where(first, 0.6f, 0.1f) * step;                                        // (groups, G)
        var towardZero = where(rows > 0, -size, size);
        return where(keep, rows, rows + towardZero).view(grid.shape);
    }
}
