using DurableUn.Deployment;
using DurableUn.Methods;
using DurableUn.Quantization;

namespace DurableUn.Tests.Methods;

[Collection(TinyUnlearningCollection.Name)]
public sealed class SettingsTests(TinyUnlearningSetup setup)
{
    [Fact]
    public void Assignments_Are_Parsed_As_Their_Property_Types_And_Every_Key_Is_Resolved()
    {
        // Given SAF's defaults
        var defaults = new SafOptions();
        // When three keys are set
        var resolved = MethodSettings.Apply(defaults, ["lr=2e-4", "precision=nf4:g128", "include_bf16_forget=false"]);
        // Then the record has the typed values, the caller's record is unchanged, and the resolved map lists every key
        Assert.Equal(2e-4, resolved.Options.Lr);
        Assert.Equal(Precision.Parse("nf4:g128"), resolved.Options.Precision);
        Assert.False(resolved.Options.IncludeBf16Forget);
        Assert.Equal(1e-5, defaults.Lr);
        Assert.Equal("nf4:g128", resolved.Values["precision"]);
        Assert.Equal(0.05, resolved.Values["rho"]);
        Assert.Equal(["batch_size", "beta", "forget_loss", "include_bf16_forget", "lambda", "lr", "precision",
                      "retain_weight", "rho", "steps"], resolved.Values.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "quantizer=nf4", "group_size=128" }, "nf4:g128")]
    [InlineData(new[] { "group_size=32" }, "int4:g32")]
    [InlineData(new[] { "quantizer=int4", "group_size=64" }, "int4")]
    [InlineData(new[] { "quantizer=int8", "group_size=32" }, "int8")]
    [InlineData(new[] { "quantizer=nf4" }, "nf4")]
    public void Safs_Older_Quantizer_And_Group_Size_Keys_Become_The_Same_Precision(string[] assignments, string precision)
    {
        var resolved = MethodSettings.Apply(new SafOptions(), assignments);
        Assert.Equal(Precision.Parse(precision), resolved.Options.Precision);
    }

    [Theory]
    [InlineData(new[] { "precision=int4", "group_size=32" }, "precision")]
    [InlineData(new[] { "quantizer=nf4", "group_size=100" }, "group_size")]
    [InlineData(new[] { "group_size=0" }, "group_size")]
    [InlineData(new[] { "precision=merged-fp32" }, "precision")]   // rounds nothing, so nothing to train against
    [InlineData(new[] { "precision=bf16" }, "precision")]
    [InlineData(new[] { "precision=int4:g" }, "precision")]
    public void A_Saf_Precision_That_Is_Ambiguous_Or_Invalid_Fails_Naming_The_Key(string[] assignments, string key)
    {
        var e = Assert.Throws<ArgumentException>(() => MethodSettings.Apply(new SafOptions(), assignments));
        Assert.Equal(key, e.ParamName);
    }

    [Fact]
    public void An_Unknown_Key_Fails_Listing_The_Valid_Keys()
    {
        var e = Assert.Throws<ArgumentException>(() => MethodCatalog.Find("npo").Build(["betta=0.2"]));
        Assert.Equal("betta", e.ParamName);
        Assert.Contains("beta, forget_weight, form, lr", e.Message);
    }

    [Theory]
    [InlineData("simnpo", "beta=high", "beta")]
    [InlineData("rmu", "steps=2.5", "steps")]
    [InlineData("sure", "forget_loss=kl", "forget_loss")]
    [InlineData("saf", "include_bf16_forget=yes", "include_bf16_forget")]
    public void A_Mistyped_Value_Fails_Naming_The_Key_And_The_Value(string method, string assignment, string key)
    {
        var e = Assert.Throws<ArgumentException>(() => MethodCatalog.Find(method).Build([assignment]));
        Assert.Equal(key, e.ParamName);
        Assert.Contains(assignment, e.Message);
    }

    [Theory]
    [InlineData("ga", "lr=-1", "lr")]
    [InlineData("npo", "beta=0", "beta")]
    [InlineData("simnpo", "beta=-4.5", "beta")]
    [InlineData("salun", "mask_fraction=0", "mask_fraction")]
    [InlineData("salun", "mask_fraction=1.5", "mask_fraction")]
    [InlineData("sure", "percentile=101", "percentile")]
    [InlineData("graddiff", "batch_size=0", "batch_size")]
    [InlineData("graddiff", "retain_loss=none", "retain_loss")]
    [InlineData("saf", "quantizer=fp4", "quantizer")]
    [InlineData("saf", "rho=-0.1", "rho")]
    [InlineData("rmu", "layer=-1", "layer")]
    public void An_Invalid_Value_Fails_Naming_The_Key(string method, string assignment, string key)
    {
        var e = Assert.Throws<ArgumentException>(() => MethodCatalog.Find(method).Build([assignment]));
        Assert.Equal(key, e.ParamName);
    }

    [Fact]
    public void An_Unknown_Method_Fails_Listing_Every_Method()
    {
        var e = Assert.Throws<ArgumentException>(() => MethodCatalog.Find("npo_gdr"));
        Assert.Contains("ga, graddiff, ga-kl, npo, npo-gdr, npo-klr, simnpo, idkdpo, idknll, rmu, salun, sure, saf", e.Message);
    }

    [Fact]
    public void An_Rmu_Layer_Beyond_The_Model_Fails_Before_Any_Step()
    {
        // Given a 2-layer model and layer 2
        var context = setup.Context();
        var before = context.Trainable[0].detach().clone();
        var (method, _) = MethodCatalog.Find("rmu").Build(["layer=2"]);
        // When the run starts
        var e = Assert.Throws<ArgumentException>(() => Unlearner.Run(context, method));
        // Then it names the key and nothing was trained
        Assert.Equal("layer", e.ParamName);
        Assert.True(context.Trainable[0].eq(before).all().item<bool>());
    }

    [Fact]
    public void A_Schedule_Changes_Only_Lr_Steps_And_Batch_Size_As_The_Same_Assignments_Would()
    {
        foreach (var entry in MethodCatalog.All)
        {
            // Given an entry's defaults, when the calibration ladder sets a schedule as typed options
            var typed = entry.Build(entry.Defaults().WithSchedule(0.0015, 7, 3)).Resolved;
            // Then every key has the value that the --set strings give (other keys keep the entry's defaults)
            var parsed = entry.Build(["lr=0.0015", "steps=7", "batch_size=3"]).Resolved;
            Assert.Equal(parsed, typed);
            Assert.Equal(entry.OptionsType, entry.Defaults().WithSchedule(0.0015, 7, 3).GetType());
        }
    }

    [Fact]
    public void Options_Of_Another_Method_Are_Refused_Naming_Both_Types()
    {
        var e = Assert.Throws<ArgumentException>(() => MethodCatalog.Find("ga").Build(new SafOptions()));
        Assert.Contains("GradAscentOptions", e.Message);
        Assert.Contains("SafOptions", e.Message);
    }

    [Fact]
    public void Every_Catalog_Entry_Has_Valid_Defaults_A_Source_And_A_Unique_Name()
    {
        Assert.Equal(MethodCatalog.All.Count, MethodCatalog.All.Select(e => e.Name).Distinct().Count());
        Assert.All(MethodCatalog.All, e =>
        {
            var defaults = e.Defaults();
            defaults.Validate();
            Assert.IsType(e.OptionsType, defaults);
            Assert.False(string.IsNullOrWhiteSpace(e.Source));
        });
    }

    [Theory]
    [InlineData("npo", RetainLoss.None)]
    [InlineData("npo-gdr", RetainLoss.Nll)]
    [InlineData("npo-klr", RetainLoss.Kl)]
    public void Npo_Variants_Differ_Only_In_Their_Retain_Term(string name, RetainLoss expected) =>
        Assert.Equal(expected, ((NpoOptions)MethodCatalog.Find(name).Defaults()).RetainLoss);
}
