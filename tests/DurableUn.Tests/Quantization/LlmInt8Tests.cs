using DurableUn.Deployment;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class LlmInt8Tests
{
    /// Element by element, as the paper writes it: per token s = absmax/127, x̂ = round(x/s)·s, outlier features kept.
    private static float[,] Reference(float[,] x, float[,] w, double threshold)
    {
        int n = x.GetLength(0), k = x.GetLength(1), m = w.GetLength(0);
        var outlier = new bool[k];
        for (var j = 0; j < k; j++)
            for (var i = 0; i < n; i++)
                if (threshold > 0 && Math.Abs(x[i, j]) > threshold) outlier[j] = true;
        var y = new float[n, m];
        for (var i = 0; i < n; i++)
        {
            var absmax = 0f;
            for (var j = 0; j < k; j++) if (!outlier[j]) absmax = Math.Max(absmax, Math.Abs(x[i, j]));
            var s = Math.Max(absmax, 1e-12f) / 127f;
            for (var o = 0; o < m; o++)
            {
                double acc = 0;
                for (var j = 0; j < k; j++)
                    acc += (outlier[j] ? x[i, j] : Math.Clamp(MathF.Round(x[i, j] / s, MidpointRounding.ToEven), -127, 127) * s) * w[o, j];
                y[i, o] = (float)acc;
            }
        }
        return y;
    }

    private static float[,] ToArray(Tensor t)
    {
        var data = t.data<float>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var a = new float[rows, cols];
        for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) a[i, j] = data[i * cols + j];
        return a;
    }

    [Theory]
    [InlineData(0.0)]     // no decomposition: every feature in int8
    [InlineData(6.0)]     // bitsandbytes' default: the one planted feature above 6 stays exact
    public void Mixed_Int8_Matmul_Equals_The_Element_By_Element_Definition(double threshold)
    {
        using var generator = new Generator(7);
        var x = randn([5, 32], generator: generator);                                          // (tokens, in)
        x[2, 9] = tensor(8.5f);                                                                   // an outlier feature
        var w = randn([12, 32], generator: generator) * 0.05f;                                    // (out, in)
        var y = LlmInt8.Matmul(x, w, threshold);
        var expected = Reference(ToArray(x), ToArray(w), threshold);
        var actual = ToArray(y);
        for (var i = 0; i < 5; i++) for (var o = 0; o < 12; o++) Assert.Equal(expected[i, o], actual[i, o], 1e-4f);
    }

    [Fact]
    public void An_Outlier_Feature_Is_Not_Rounded_With_The_Rest()
    {
        using var generator = new Generator(8);
        var x = randn([4, 16], generator: generator);
        x[0, 3] = tensor(20f);
        var w = eye(16);                                                                          // y = x̂
        var kept = LlmInt8.Matmul(x, w, 6.0);
        var rounded = LlmInt8.Matmul(x, w, 0.0);
        Assert.Equal(x[.., 3].data<float>().ToArray(), kept[.., 3].data<float>().ToArray());     // exact
        Assert.True((rounded - x).abs().max().item<float>() > 0);                                 // int8 everywhere else
    }

    [Theory]
    [InlineData("model-int8", "model-int8", 6.0)]
    [InlineData("model-int8:t6", "model-int8", 6.0)]
    [InlineData("model-int8:t0", "model-int8:t0", 0.0)]
    [InlineData("model-int8:t3.5", "model-int8:t3.5", 3.5)]
    public void Model_Int8_Names_Its_Outlier_Threshold_Unless_It_Is_The_Default(string text, string name, double threshold)
    {
        var p = Precision.Parse(text);
        Assert.Equal(name, p.Name);
        Assert.Equal(threshold, p.OutlierThreshold);
        Assert.Equal(p, Precision.Parse(p.Name));
        Assert.Null(Precision.Int8.OutlierThreshold);
    }

    [Theory]
    [InlineData("model-int4:t6")]
    [InlineData("int8:t6")]
    [InlineData("model-int8:t6:t7")]
    public void Only_Model_Int8_Takes_One_Threshold(string text) =>
        Assert.Contains("unknown or repeated option", Assert.Throws<ArgumentException>(() => Precision.Parse(text)).Message);
}
