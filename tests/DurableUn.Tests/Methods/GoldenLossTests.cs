using System.Text.Json;
using DurableUn.Methods;
using DurableUn.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

/// <summary>
/// Every method's loss equals an independent PyTorch implementation on the same two-example batch (the second example
/// padded). Golden: Golden/methods_losses.json, written by <c>/usr/bin/python3 scripts/make_methods_golden.py</c>.
/// </summary>
public sealed class GoldenLossTests : IDisposable
{
    private readonly JsonElement _root;
    private readonly DisposeScope _scope;

    public GoldenLossTests()
    {
        NativeTorch.EnsureLoaded();
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "methods_losses.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        _root = document.RootElement.Clone();
        _scope = NewDisposeScope();
    }

    public void Dispose() => _scope.Dispose();

    public static TheoryData<string> Cases()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "methods_losses.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var data = new TheoryData<string>();
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_Equals_The_Independent_PyTorch_Value(string name)
    {
        // Given the golden logits, labels and hidden states, and the case's settings over the method's defaults
        var golden = _root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var settings = golden.GetProperty("settings").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").ToList();
        var forget = new Scored(Input("forget_logits"), Input("forget_labels"), Input("forget_ref_logits"));
        var retain = new Scored(Input("retain_logits"), Input("retain_labels"), Input("retain_ref_logits"));
        var alternate = new Scored(Input("alt_logits"), Input("alt_labels"), Input("alt_ref_logits"));
        T Options<T>(string method) where T : IMethodOptions =>
            (T)MethodSettings.Apply(MethodCatalog.Find(method).Defaults(), settings).Options;
        // When the method's loss is evaluated on them
        var loss = name switch
        {
            "ga" => GradAscent.Of(forget),
            "graddiff" or "ga-kl" => GradDiff.Of(Options<GradDiffOptions>(name), forget, retain),
            "npo" or "npo-gdr" or "npo-klr" => Npo.Of(Options<NpoOptions>(name), forget, retain),
            "npo-logits" => Npo.Of(Options<NpoOptions>("npo"), forget, retain),
            "simnpo" => SimNpo.Of(Options<SimNpoOptions>(name), forget, retain),
            "idkdpo" => IdkDpo.Of(Options<IdkDpoOptions>(name), forget, alternate, retain),
            "idknll" => IdkNll.Of(Options<IdkNllOptions>(name), alternate, retain),
            "rmu" => Rmu.Of(Options<RmuOptions>(name), Input("forget_hidden"), Input("control"), Input("forget_labels"),
                             Input("retain_hidden"), Input("retain_ref_hidden"), Input("retain_labels")),
            "salun" => SalUn.Of(Options<SalUnOptions>(name), alternate, retain),
            "sure" or "sure-npo-kl" => Sure.Of(Options<SureOptions>("sure"), forget, retain),
            _ => throw new InvalidOperationException($"no mapping for golden case {name}"),
        };
        // Then it matches the script (float32 both sides: relative 1e-5)
        var expected = golden.GetProperty("value").GetDouble();
        Assert.True(Math.Abs(loss.item<float>() - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
            $"{name}: {loss.item<float>()} vs golden {expected}");
    }

    private Tensor Input(string key)
    {
        var entry = _root.GetProperty("inputs").GetProperty(key);
        var shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var values = entry.GetProperty("data").EnumerateArray().ToList();
        return key.EndsWith("labels", StringComparison.Ordinal)
            ? tensor(values.Select(v => v.GetInt64()).ToArray()).reshape(shape)
            : tensor(values.Select(v => v.GetSingle()).ToArray()).reshape(shape);
    }
}
