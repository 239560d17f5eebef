using System.Text;
using System.Text.Json.Nodes;
using DurableUn.Checkpoints;
using DurableUn.Model;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// bitsandbytes 4-bit checkpoints in Hugging Face layout (docs/formats.md#bitsandbytes-checkpoints; bnb
/// <c>QuantState.as_dict(packed=True)</c>,
/// <c>Linear4bit._save_to_state_dict</c>): per projection <c>p</c>, <c>p.weight</c> uint8 [(n+1)/2, 1],
/// <c>p.weight.absmax</c> (fp32, or uint8 when nested), <c>p.weight.quant_map</c> fp32[16], when nested
/// <c>p.weight.nested_absmax</c> and <c>p.weight.nested_quant_map</c> fp32[256], and
/// <c>p.weight.quant_state.bitsandbytes__nf4</c> (or <c>__fp4</c>): a uint8 tensor of UTF-8 JSON. config.json carries
/// <c>quantization_config</c>. Reading uses the stored maps, not rebuilt ones (torch versions differ in the last ulp of
/// the dynamic map), and rejects truncated or inconsistent quant state with an error naming the tensor.
/// Not: 8-bit (LLM.int8) checkpoints; not: quant_storage other than uint8; not: tokenizer files (copy them alongside).
/// </summary>
public static class BnbCheckpoint
{
    private const string WeightsFile = ModelFolder.SingleWeightsFile;
    private static readonly string[] KeptSuffixes = [".absmax", ".quant_map", ".nested_absmax", ".nested_quant_map"];

    /// <summary>Writes config.json and model.safetensors for a 4-bit base (each file atomically).</summary>
    public static void Write(string directory, QLoraBase baseModel)
    {
        var first = baseModel.Projections.Values.First().Quantized;
        if (first is not { Format: QuantFormat.Nf4 or QuantFormat.Fp4 })
            throw new ArgumentException("only an NF4/FP4 base can be written as a bitsandbytes 4-bit checkpoint");
        var quantType = first.Format == QuantFormat.Nf4 ? "nf4" : "fp4";
        var tensors = new Dictionary<string, Tensor>(baseModel.Dense, StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        foreach (var (path, w) in baseModel.Projections)
        {
            var q = w.Quantized!;
            var p = $"{path}.weight";
            var state = new JsonObject
            {
                ["quant_type"] = quantType,
                ["blocksize"] = q.BlockSize,
                ["dtype"] = DtypeName(q.OriginalDtype),
                ["shape"] = new JsonArray(q.Shape.Select(s => (JsonNode)s).ToArray()),
            };
            tensors[p] = q.Codes.view(-1, 1);                            // [(n+1)/2, 1] uint8
            tensors[$"{p}.absmax"] = q.Scales;
            tensors[$"{p}.quant_map"] = w.QuantMap!;
            if (q.Nested is { } nested)
            {
                tensors[$"{p}.nested_absmax"] = nested.Absmax;
                tensors[$"{p}.nested_quant_map"] = w.NestedQuantMap!;
                state["nested_blocksize"] = nested.BlockSize;
                state["nested_dtype"] = "float32";
                state["nested_offset"] = nested.Offset;
            }
            tensors[$"{p}.quant_state.bitsandbytes__{quantType}"] = tensor(Encoding.UTF8.GetBytes(state.ToJsonString()));
        }
        var bnb = new BnbQuantizationConfig
        {
            LoadIn4Bit = true,
            QuantType = quantType,
            UseDoubleQuant = first.Nested is not null,
            ComputeDtype = DtypeName(baseModel.Options.ComputeDtype),
        };
        Directory.CreateDirectory(directory);
        SafetensorsTorch.Save(Path.Combine(directory, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        new HfModelConfig { Llama = baseModel.Config, QuantizationConfig = bnb.ToJson() }.Write(Path.Combine(directory, HfModelConfig.FileName));
    }

    /// <summary>Reads a bnb 4-bit folder into a <see cref="QLoraBase"/> (codes and scales as stored, bit for bit).</summary>
    public static QLoraBase Read(string directory)
    {
        var folder = ModelFolder.Open(directory);
        var config = folder.ReadConfig();
        var bnb = config.Bnb(folder.ConfigPath) ?? throw new CheckpointFormatException(folder.ConfigPath, "quantization_config", null, "missing; not a bitsandbytes checkpoint");
        if (!bnb.LoadIn4Bit) throw new CheckpointFormatException(folder.ConfigPath, "quantization_config.load_in_4bit", "false", "only 4-bit checkpoints are read");
        if (bnb.QuantStorage != "uint8") throw new CheckpointFormatException(folder.ConfigPath, "quantization_config.bnb_4bit_quant_storage", bnb.QuantStorage, "only uint8 storage is read");
        var tensors = folder.IsSharded ? ShardedSafetensors.Load(folder.WeightsPath) : SafetensorsTorch.Load(folder.WeightsPath);
        var used = new HashSet<string>(StringComparer.Ordinal);
        Tensor Take(string name) => used.Add(name) && tensors.TryGetValue(name, out var t) ? t
            : throw new CheckpointFormatException(folder.WeightsPath, name, null, "missing (truncated quant state?)");
        try
        {
            var projections = new Dictionary<string, FrozenWeight>(StringComparer.Ordinal);
            var dense = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var p in LlamaCheckpointLayout.ExpectedParameterShapes(config.Llama))
            {
                if (p.Name.EndsWith("_proj.weight", StringComparison.Ordinal))
                    projections.Add(p.Name[..^".weight".Length], ReadProjection(p, bnb, Take, tensors.ContainsKey, folder.WeightsPath));
                else
                {
                    var t = Take(p.Name);
                    if (!t.shape.SequenceEqual(p.Shape))
                        throw new CheckpointFormatException(folder.WeightsPath, p.Name, ParameterShape.Format(t.shape), $"the config expects {ParameterShape.Format(p.Shape)}");
                    dense.Add(p.Name, t.to_type(ScalarType.Float32, copy: true));
                }
            }
            var options = new QLoraOptions
            {
                BaseFormat = bnb.QuantType == "nf4" ? QuantFormat.Nf4 : QuantFormat.Fp4,
                BlockSize = projections.Values.First().Quantized!.BlockSize,
                DoubleQuant = bnb.UseDoubleQuant,
                ComputeDtype = bnb.ComputeDtype == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32,
            };
            return new QLoraBase(config.Llama, projections, dense, options);
        }
        finally
        {
            // Scales and maps are kept by the FrozenWeights; codes live on as views; everything else was copied or unused.
            foreach (var (name, t) in tensors)
                if (!(used.Contains(name) && KeptSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))) t.Dispose();
        }
    }

    private static FrozenWeight ReadProjection(ParameterShape expected, BnbQuantizationConfig bnb, Func<string, Tensor> take, Func<string, bool> has, string file)
    {
        var p = expected.Name;
        var stateKey = $"{p}.quant_state.bitsandbytes__{bnb.QuantType}";
        var other = $"{p}.quant_state.bitsandbytes__{(bnb.QuantType == "nf4" ? "fp4" : "nf4")}";
        if (!has(stateKey) && has(other))
            throw new CheckpointFormatException(file, other, null, $"quant type disagrees with config.json bnb_4bit_quant_type \"{bnb.QuantType}\"");
        var state = ParseState(take(stateKey), stateKey, file);
        var f = new JsonFields(state, file, $"{stateKey}.");
        var quantType = f.String("quant_type");
        if (quantType != bnb.QuantType) throw f.Error("quant_type", $"must be \"{bnb.QuantType}\" as config.json says (nf4 and fp4 are read)");
        var blockSize = f.Int("blocksize") ?? throw f.Error("blocksize", "is required");
        if (blockSize < 32 || blockSize > 4096 || (blockSize & (blockSize - 1)) != 0) throw f.Error("blocksize", "must be a power of two from 32 to 4096");
        var shape = (state["shape"] as JsonArray)?.Select(n => n is JsonValue v && v.TryGetValue(out long d) ? d : -1).ToArray() ?? throw f.Error("shape", "is required");
        if (!shape.SequenceEqual(expected.Shape))
            throw f.Error("shape", $"disagrees with config.json, which expects {ParameterShape.Format(expected.Shape)}");
        long n = shape[0] * shape[1], blocks = (n + blockSize - 1) / blockSize;

        var codes = take(p);
        Expect(codes, p, ScalarType.Byte, [(n + 1) / 2, 1], file);
        var nestedMode = state.ContainsKey("nested_offset");
        if (nestedMode != bnb.UseDoubleQuant)
            throw new CheckpointFormatException(file, stateKey, null, $"nested quant state {(nestedMode ? "present" : "absent")} but config.json bnb_4bit_use_double_quant is {bnb.UseDoubleQuant}");
        var absmax = take($"{p}.absmax");
        Expect(absmax, $"{p}.absmax", nestedMode ? ScalarType.Byte : ScalarType.Float32, [blocks], file, $" for {n} weights in blocks of {blockSize}");
        var quantMap = take($"{p}.quant_map");
        Expect(quantMap, $"{p}.quant_map", ScalarType.Float32, [16], file);
        var format = quantType == "nf4" ? QuantFormat.Nf4 : QuantFormat.Fp4;
        var dtype = f.String("dtype") switch { "bfloat16" => ScalarType.BFloat16, "float16" => ScalarType.Float16, _ => ScalarType.Float32 };
        var q = new QuantizedTensor(format, codes.view(-1), absmax, shape, blockSize, dtype);
        Tensor? nestedMap = null;
        if (nestedMode)
        {
            var nestedBlock = f.Int("nested_blocksize") ?? throw f.Error("nested_blocksize", "is required with nested_offset");
            if (nestedBlock < 1) throw f.Error("nested_blocksize", "must be > 0");
            var offset = f.Double("nested_offset") ?? throw f.Error("nested_offset", "must be a number");
            var nestedAbsmax = take($"{p}.nested_absmax");
            Expect(nestedAbsmax, $"{p}.nested_absmax", ScalarType.Float32, [(blocks + nestedBlock - 1) / nestedBlock], file, $" for {blocks} absmax in blocks of {nestedBlock}");
            nestedMap = take($"{p}.nested_quant_map");
            Expect(nestedMap, $"{p}.nested_quant_map", ScalarType.Float32, [256], file);
            q = q with { Nested = new NestedScales(nestedAbsmax, (float)offset, nestedBlock) };
        }
        return FrozenWeight.FromQuantized(q, quantMap, nestedMap);
    }

    private static JsonObject ParseState(Tensor bytes, string name, string file)
    {
        if (bytes.dtype != ScalarType.Byte || bytes.dim() != 1)
            throw new CheckpointFormatException(file, name, bytes.dtype.ToString(), "must be a 1-D uint8 tensor of UTF-8 JSON");
        return JsonFields.ParseObject(Encoding.UTF8.GetString(bytes.data<byte>().ToArray()), $"{file} ({name})");
    }

    private static void Expect(Tensor t, string name, ScalarType dtype, long[] shape, string file, string why = "")
    {
        if (t.dtype != dtype) throw new CheckpointFormatException(file, name, t.dtype.ToString(), $"must be {dtype}");
        if (!t.shape.SequenceEqual(shape))
            throw new CheckpointFormatException(file, name, ParameterShape.Format(t.shape), $"has shape {ParameterShape.Format(t.shape)}, expected {ParameterShape.Format(shape)}{why}");
    }

    private static string DtypeName(ScalarType t) => t switch
    {
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => "float32",
    };
}
