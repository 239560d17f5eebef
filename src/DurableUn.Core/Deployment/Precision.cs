using System.Globalization;
using DurableUn.LlamaCpp;
using DurableUn.Quantization;

namespace DurableUn.Deployment;

/// <summary>Where a deployment's quantization happens (docs/design.md#precisions).</summary>
public enum PrecisionSpace
{
    /// <summary>The adapter cast to bf16 and back, compute in bf16: the audit setting.</summary>
    Bf16,
    /// <summary>A and B quantized then dequantized; the NF4 base unchanged.</summary>
    Adapter,
    /// <summary>scale·B·A added to the dequantized base and the sum re-quantized (or kept fp32 for <c>merged-fp32</c>).</summary>
    Merged,
    /// <summary>
    /// The whole model as a 4- or 8-bit loader stores it: any adapter merged first, then every linear projection
    /// quantized in the named format; embeddings, norms and lm_head stay full precision, as bitsandbytes'
    /// <c>load_in_4bit</c>/<c>load_in_8bit</c> leave them.
    /// </summary>
    Model,
    /// <summary>The full-precision model written as an f32 GGUF, quantized by llama.cpp's own quantizer to a llama.cpp
    /// file type and run by llama.cpp's engine: the deployment as shipped.</summary>
    Gguf,
}

/// <summary>
/// A deployment precision, a closed set parsed from the names the CLI and reports use. Grammar:
/// <c>bf16</c> | <c>[merged-]format[:gN][:asym|:sym]</c> with format int8, int4, nf4, fp4 (adapter space) or
/// nf4, int4, int8, fp32 (merged). <c>:gN</c> sets the INT4 group (default 64) or the adapter NF4/FP4 blocksize (default 64);
/// <c>:asym</c> picks min/max INT4 with a zero point. <c>merged-nf4</c> re-quantizes with the base's own blocksize and
/// double quantization (PEFT's bnb merge), so it takes no options; INT8 is per row and takes none either.
/// Whole-model precisions (<see cref="PrecisionSpace.Model"/>): <c>model-fp4[:gN]</c> (bitsandbytes' default
/// <c>load_in_4bit</c>: FP4, blocks of 64, no double quantization), <c>model-nf4[:gN][:dq]</c>, <c>model-int4[:gN][:asym]</c>
/// (round to nearest, groups of 64) and <c>model-int8[:tX]</c> (LLM.int8(): per-row absmax weights, activations per
/// token in int8 except the features above the outlier threshold X, default 6).
/// <c>gguf-TYPE</c> names a llama.cpp file type (<see cref="LlamaFileTypes"/>: gguf-f32, gguf-f16, gguf-q8_0, gguf-q4_0,
/// gguf-q4_k_m, gguf-q5_k_m, gguf-q6_k, gguf-iq4_nl) and takes no options.
/// Unknown names and misplaced options are errors that list what is valid.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(PrecisionJson))]
public sealed record Precision
{
    private Precision(string name, PrecisionSpace space, QuantSpec? format, LlamaFileType? gguf = null, double? outlierThreshold = null)
    {
        Name = name;
        Space = space;
        Format = format;
        Gguf = gguf;
        OutlierThreshold = outlierThreshold;
    }

    /// <summary>Canonical name; <see cref="Parse"/> of it gives an equal value.</summary>
    public string Name { get; }

    public PrecisionSpace Space { get; }

    /// <summary>The quantization applied (to A and B, or to the merged weight); null for bf16, merged-fp32 and GGUF.</summary>
    public QuantSpec? Format { get; }

    /// <summary>The llama.cpp file type of a GGUF deployment; null for every other space.</summary>
    public LlamaFileType? Gguf { get; }

    /// <summary>
    /// model-int8's LLM.int8() outlier threshold (<see cref="LlmInt8"/>; bitsandbytes' default 6, <c>:t0</c> quantizes
    /// every activation feature); null for every other precision.
    /// </summary>
    public double? OutlierThreshold { get; }

    public static Precision Bf16 { get; } = new("bf16", PrecisionSpace.Bf16, null);
    public static Precision Int8 { get; } = Parse("int8");
    public static Precision Int4 { get; } = Parse("int4");
    public static Precision Nf4 { get; } = Parse("nf4");
    public static Precision Fp4 { get; } = Parse("fp4");
    public static Precision MergedNf4 { get; } = Parse("merged-nf4");
    public static Precision MergedInt4 { get; } = Parse("merged-int4");
    public static Precision MergedInt8 { get; } = Parse("merged-int8");
    public static Precision MergedFp32 { get; } = Parse("merged-fp32");
    public static Precision ModelInt8 { get; } = Parse("model-int8");
    public static Precision ModelFp4 { get; } = Parse("model-fp4");
    public static Precision ModelNf4 { get; } = Parse("model-nf4");
    public static Precision ModelInt4 { get; } = Parse("model-int4");

    /// <summary>The precisions of a full QRA table, in report order (merged-fp32 is a check, not a deployment).</summary>
    public static IReadOnlyList<Precision> All { get; } = [Bf16, Int8, Int4, Nf4, Fp4, MergedNf4, MergedInt4, MergedInt8];

    public override string ToString() => Name;

    private const string GgufPrefix = "gguf-";

    public static Precision Parse(string text)
    {
        var parts = text.Trim().Split(':');
        var head = parts[0];
        if (head == "bf16")
            return parts.Length == 1 ? Bf16 : throw Bad(text, "bf16 takes no options");
        if (head.StartsWith(GgufPrefix, StringComparison.Ordinal))
        {
            var type = LlamaFileTypes.TryParse(head[GgufPrefix.Length..]) ?? throw Bad(text, "unknown llama.cpp file type");
            return parts.Length == 1 ? new Precision(head, PrecisionSpace.Gguf, null, type) : throw Bad(text, "gguf types take no options");
        }
        var merged = head.StartsWith("merged-", StringComparison.Ordinal);
        var whole = head.StartsWith("model-", StringComparison.Ordinal);
        var format = merged ? head["merged-".Length..] : whole ? head["model-".Length..] : head;
        int? group = null;
        bool asym = false, dq = false;
        double? threshold = null;
        foreach (var option in parts.Skip(1))
        {
            if (option.Length > 1 && option[0] == 't' && whole && format == "int8" && threshold is null &&
                double.TryParse(option[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var t))
            {
                threshold = double.IsFinite(t) ? t : throw Bad(text, $"the outlier threshold must be finite, got {option[1..]}");
                continue;
            }
            if (option.Length > 1 && option[0] == 'g' && int.TryParse(option[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var g) && group is null)
                group = g > 0 ? g : throw Bad(text, $"group size must be > 0, got {g}");
            else if (option is "asym" or "sym")
                asym = option == "asym";
            else if (option == "dq" && whole && format == "nf4" && !dq)
                dq = true;
            else
                throw Bad(text, $"unknown or repeated option \":{option}\"");
        }
        if (whole) return Whole(text, head, format, group, asym, dq, threshold);
        var spec = (format, merged) switch
        {
            ("int8", _) => group is null && !asym ? new QuantSpec(QuantFormat.Int8) : throw Bad(text, "int8 is per output row and takes no :gN or :asym"),
            ("int4", _) => new QuantSpec(asym ? QuantFormat.Int4Asym : QuantFormat.Int4) { BlockSize = group ?? Int4Groupwise.DefaultGroupSize },
            ("nf4", true) => group is null && !asym ? new QuantSpec(QuantFormat.Nf4) : throw Bad(text, "merged-nf4 re-quantizes with the base's own blocksize and double quantization; it takes no options"),
            ("nf4" or "fp4", false) => !asym ? BlockSpec(format, group, text) : throw Bad(text, $"{format} is symmetric; :asym applies to int4"),
            ("fp32", true) => parts.Length == 1 ? null : throw Bad(text, "merged-fp32 takes no options"),
            _ => throw Bad(text, "unknown precision"),
        };
        return new Precision(Canonical(head, spec), merged ? PrecisionSpace.Merged : PrecisionSpace.Adapter, spec);
    }

    /// <summary>A <see cref="PrecisionSpace.Model"/> precision: the format applied to every projection of the model.</summary>
    private static Precision Whole(string text, string head, string format, int? group, bool asym, bool dq, double? threshold)
    {
        var spec = format switch
        {
            "int8" => group is null && !asym ? new QuantSpec(QuantFormat.Int8) : throw Bad(text, "model-int8 is per output row and takes no :gN or :asym"),
            "int4" => new QuantSpec(asym ? QuantFormat.Int4Asym : QuantFormat.Int4) { BlockSize = group ?? Int4Groupwise.DefaultGroupSize },
            "nf4" or "fp4" => !asym ? BlockSpec(format, group, text) with { DoubleQuant = dq } : throw Bad(text, $"{format} is symmetric; :asym applies to int4"),
            _ => throw Bad(text, "unknown precision"),
        };
        var name = Canonical(head, spec) + (dq ? ":dq" : "");
        if (spec.Format != QuantFormat.Int8) return new Precision(name, PrecisionSpace.Model, spec);
        var t = threshold ?? LlmInt8.DefaultThreshold;
        if (t != LlmInt8.DefaultThreshold) name += $":t{t.ToString("R", CultureInfo.InvariantCulture)}";
        return new Precision(name, PrecisionSpace.Model, spec, outlierThreshold: t);
    }

    /// <summary>
    /// The spec that quantizes a tensor whose rows have length <paramref name="row"/>: INT4 groups tile each row, and a
    /// row shorter than the group (a LoRA B's r) is one group, since a group cannot straddle rows; a longer row must be
    /// a multiple of the group. Other formats are returned unchanged. Deployment and SAF's Q_STE both quantize through
    /// this, so training sees the grouping the deployment applies.
    /// </summary>
    public static QuantSpec AlongRows(QuantSpec spec, long row, string name)
    {
        if (spec.Format is not (QuantFormat.Int4 or QuantFormat.Int4Asym)) return spec;
        var group = spec.BlockSize ?? Int4Groupwise.DefaultGroupSize;
        if (row < group) return spec with { BlockSize = (int)row };
        return row % group == 0 ? spec : throw new ArgumentException($"{name}: row length {row} is not a multiple of the INT4 group {group}");
    }

    private static QuantSpec BlockSpec(string format, int? block, string text)
    {
        if (block is { } b && (b < 32 || b > 4096 || (b & (b - 1)) != 0))
            throw Bad(text, $"{format} blocksize {b} is not a power of two from 32 to 4096");
        return new QuantSpec(format == "nf4" ? QuantFormat.Nf4 : QuantFormat.Fp4) { BlockSize = block ?? Quantization.Nf4.DefaultBlockSize };
    }

    /// <summary>Defaults are left out (int4 = int4:g64:sym), so one precision has one name.</summary>
    private static string Canonical(string head, QuantSpec? spec)
    {
        if (spec is null || spec.Format is QuantFormat.Int8 || head == "merged-nf4") return head;
        var name = head;
        if (spec.BlockSize is { } b && b != 64) name += $":g{b}";
        if (spec.Format == QuantFormat.Int4Asym) name += ":asym";
        return name;
    }

    private static ArgumentException Bad(string text, string detail) => new(
        $"precision \"{text}\": {detail}. Valid: bf16, int8, int4[:gN][:asym|:sym], nf4[:gN], fp4[:gN], merged-nf4, merged-int4[:gN][:asym|:sym], merged-int8, merged-fp32, " +
        "model-int8[:tX], model-fp4[:gN], model-nf4[:gN][:dq], model-int4[:gN][:asym|:sym], " +
        $"{string.Join(", ", LlamaFileTypes.All.Select(t => GgufPrefix + t.Name()))}");
}
