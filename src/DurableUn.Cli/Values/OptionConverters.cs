using System.ComponentModel;
using System.Globalization;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.ScaleOut;
using DurableUn.Pipelines;

namespace DurableUn.Cli.Values;

/// <summary>
/// The typed options of the command line: each converter parses with the library's own grammar (so a precision,
/// metric or pipeline added there is accepted here with no change), and turns its error into an
/// <see cref="OptionValueException"/>. Declared on a setting as <c>[TypeConverter(typeof(...))]</c>; Spectre runs
/// it while parsing, before Validate and long before any work.
/// </summary>
public abstract class TextConverter<T>(Func<string, T> parse) : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string text) return base.ConvertFrom(context, culture, value);
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException and not OptionValueException)
        {
            throw new OptionValueException(e.Message);
        }
    }
}

/// <summary>One precision (<c>--precision int4:g32</c>).</summary>
public sealed class PrecisionConverter() : TextConverter<Precision>(Precision.Parse);

/// <summary>Comma-separated precisions (<c>--precisions bf16,int8,int4</c>), distinct, in the given order.</summary>
public sealed class PrecisionListConverter() : TextConverter<IReadOnlyList<Precision>>(text =>
{
    var list = CommaList.Parse(text).Select(Precision.Parse).Distinct().ToList();
    return list.Count > 0 ? list : throw new OptionValueException("names no precision");
});

/// <summary>Comma-separated seeds (<c>--seeds 0,1,2</c>), whole numbers ≥ 0, each once.</summary>
public sealed class SeedListConverter() : TextConverter<IReadOnlyList<int>>(text =>
{
    var seeds = CommaList.Parse(text).Select(s => (int)NumberConverters.Whole(s, int.MaxValue)).ToList();
    return seeds.Count == 0 ? throw new OptionValueException("names no seed")
        : seeds.Distinct().Count() != seeds.Count ? throw new OptionValueException($"\"{text}\" repeats a seed")
        : seeds;
});

/// <summary>One shard of the cells, <c>i/n</c>.</summary>
public sealed class ShardConverter() : TextConverter<ShardSpec>(ShardSpec.Parse);

/// <summary>The FA/RA metric by its snake_case name.</summary>
public sealed class MetricConverter() : TextConverter<AccuracyMetric>(AccuracyMetrics.Parse);

/// <summary>A pipeline by its CLI name (adapter, fresh-adapter, full).</summary>
public sealed class PipelineConverter() : TextConverter<Pipeline>(DurableUn.Pipelines.Pipelines.Parse);
