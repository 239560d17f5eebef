using DurableUn.Data;
using DurableUn.Methods;
using DurableUn.Deployment;
using DurableUn.Experiments.Specs;
using DurableUn.Presets;

namespace DurableUn.Tests.Experiments;

/// <summary>
/// Which precisions a study or sweep accepts for a preset, before anything trains: an INT4 group follows the
/// deployment's rule (a group longer than a row is that whole row, <see cref="Precision.AlongRows"/>), so the regime
/// map's whole-row group <c>int4:g4096</c> fits every preset; a group that splits a row unevenly does not.
/// </summary>
public sealed class SpecChecksTests
{
    [Theory]
    [InlineData(ModelPreset.Smoke)]
    [InlineData(ModelPreset.Tiny)]
    [InlineData(ModelPreset.Small)]
    [InlineData(ModelPreset.Wide)]
    public void An_Int4_Group_Longer_Than_Every_Row_Should_Fit_Every_Preset(ModelPreset preset)
    {
        // Given the whole-row group and the three shorter groups that divide every width of the preset
        var precisions = new[] { "int4:g4096", "int4:g4096:asym", "int4:g32", "int4" }.Select(Precision.Parse).ToList();
        // When checked / Then accepted, and the study and sweep specs that carry them validate
        SpecChecks.PrecisionsFit(precisions, preset);
        (StudySpec.For(preset) with { Precisions = [Precision.Bf16, .. precisions] }).Validate();
        (SweepSpec.For(preset, MethodCatalog.Ga, DatasetKind.Tofu) with { Precisions = [Precision.Bf16, .. precisions], Grid = [GridAxis.Parse("lr=1e-3")] }).Validate();
    }

    [Fact]
    public void A_Whole_Row_Group_Should_Quantize_Each_Row_Of_A_And_B_As_One_Group()
    {
        // Given int4:g4096 and the row lengths of tiny's A (hidden 128, intermediate 384) and B (rank 16)
        var format = Precision.Parse("int4:g4096").Format!;
        // When grouped along rows / Then each row is one group
        foreach (var row in new[] { 128, 384, 16 })
            Assert.Equal(row, Precision.AlongRows(format, row, "w").BlockSize);
    }

    [Theory]
    [InlineData(ModelPreset.Tiny, "int4:g128")]
    [InlineData(ModelPreset.Small, "int4:g128")]
    [InlineData(ModelPreset.Tiny, "int4:g384")]    // longer than hidden 128 (a whole row there), one group of intermediate 384
    public void An_Int4_Group_That_Divides_Or_Exceeds_Each_Width_Should_Fit(ModelPreset preset, string precision) =>
        SpecChecks.PrecisionsFit([Precision.Parse(precision)], preset);

    [Theory]
    [InlineData(ModelPreset.Smoke, "int4:g128", "intermediate_size 192")]   // 192 = 1.5 groups
    [InlineData(ModelPreset.Wide, "int4:g128", "intermediate_size 2752")]   // 2752 = 21.5 groups
    [InlineData(ModelPreset.Tiny, "int4:g256", "intermediate_size 384")]    // a whole row of hidden 128, but 1.5 groups of 384
    [InlineData(ModelPreset.Smoke, "nf4:g128", "hidden_size 64")]           // NF4/FP4 blocks must still divide
    public void A_Group_That_Splits_A_Row_Unevenly_Should_Be_Refused_Naming_The_Widths(ModelPreset preset, string precision, string width)
    {
        // Given a group that would fail at the first deployment / When checked / Then refused, naming the widths
        var e = Assert.Throws<ArgumentException>(() => SpecChecks.PrecisionsFit([Precision.Parse(precision)], preset));
        Assert.Contains(width, e.Message);
        Assert.Contains(precision, e.Message);
    }
}
