namespace DurableUn.Tests.Tensors;

/// <summary>
/// TorchSharp turns a number passed where a Scalar is expected (<c>x * 0.5</c>, <c>x.clamp(0, 1)</c>) into a native
/// c10::Scalar whose only owner is a finalizer. The op reads the handle and calls into libtorch; from then on nothing
/// managed refers to the Scalar, so a collection on another thread can finalize it and free it while libtorch still
/// reads it (the crash in c10::Scalar::toFloat). Our code therefore never converts implicitly: it uses
/// <see cref="DurableUn.Core.Tensors.Scalars"/>, whose Scalars live until disposed after the op. This test reads the
/// compiled assemblies' IL and fails on any such call, naming the method and the callee.
/// </summary>
public class NoImplicitScalarTests
{
    [Theory]
    [InlineData("DurableUn.Core")]
    [InlineData("DurableUn.Reporting")]
    [InlineData("durableun")]
    public void Product_Code_Never_Leaves_A_Scalar_To_The_Finalizer(string assemblyName)
    {
        var offenders = ScalarLifetimeScanner.UnsafeCallsIn(System.Reflection.Assembly.Load(assemblyName));
        Assert.True(offenders.Count == 0,
            $"{assemblyName}: Scalars freed by a finalizer mid-call (use DurableUn.Tensors.ScalarOps):\n  " + string.Join("\n  ", offenders));
    }

    [Fact]
    public void The_Scanner_Finds_Both_An_Implicit_Conversion_And_A_Number_Operator()
    {
        var offenders = ScalarLifetimeScanner.UnsafeCallsIn(typeof(NoImplicitScalarTests).Assembly);
        Assert.Contains(offenders, m => m.Contains(nameof(ImplicitConversion)));
        Assert.Contains(offenders, m => m.Contains(nameof(NumberOperator)));
        Assert.DoesNotContain(offenders, m => m.Contains(nameof(KeptAlive)));
    }

    // Known positives and a known negative for the scanner; never called.
    private static TorchSharp.torch.Tensor ImplicitConversion(TorchSharp.torch.Tensor x) => x.clamp_min((TorchSharp.Scalar)0.5);
    private static TorchSharp.torch.Tensor NumberOperator(TorchSharp.torch.Tensor x) => x * 0.5;
    private static TorchSharp.torch.Tensor KeptAlive(TorchSharp.torch.Tensor x) => DurableUn.Tensors.ScalarOps.Times(x, 0.5);
}
