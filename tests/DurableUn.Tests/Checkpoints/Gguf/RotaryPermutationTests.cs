using DurableUn.Checkpoints.Gguf;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints.Gguf;

public class RotaryPermutationTests
{
    [Fact]
    public void Rows_Of_Each_Head_Are_Interleaved_As_Convert_Hf_To_Gguf_Permutes_Them()
    {
        // Given 2 heads of hd 4 (8 rows), row r filled with the value r
        var w = arange(8, dtype: ScalarType.Float32).unsqueeze(1).expand(8, 3).contiguous();
        // When permuted
        var p = RotaryPermutation.ToGgml(w, heads: 2);
        // Then within each head, new row 2i + s is old row s·hd/2 + i: head 0 [0 2 1 3], head 1 [4 6 5 7]
        Assert.Equal([0f, 2, 1, 3, 4, 6, 5, 7], p[.., 0].data<float>().ToArray());
        Assert.Equal(p[.., 0].data<float>().ToArray(), p[.., 2].data<float>().ToArray());
    }

    [Fact]
    public void Permutation_Equals_The_Formula_Row_By_Row_On_Random_Weights()
    {
        // Given a random (heads·hd, in) weight, heads 3, hd 6
        var w = randn(18, 5);
        // When permuted
        var p = RotaryPermutation.ToGgml(w, heads: 3);
        // Then row h·hd + 2i + s equals row h·hd + s·hd/2 + i of the input
        for (var h = 0; h < 3; h++)
            for (var i = 0; i < 3; i++)
                for (var s = 0; s < 2; s++)
                    Assert.Equal(w[h * 6 + s * 3 + i].data<float>().ToArray(), p[h * 6 + 2 * i + s].data<float>().ToArray());
    }
}
