using DurableUn.IO;
using System.Text.Json.Nodes;
using DurableUn.Checkpoints;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// PEFT LoRA adapter folders (huggingface/peft@5d602fd, docs/formats.md#peft-lora-adapters): <c>adapter_config.json</c>
/// and <c>adapter_model.safetensors</c> with keys <c>base_model.model.{path}.lora_A.weight</c> [r, in] and
/// <c>.lora_B.weight</c> [out, r]. Both files are written atomically. Reading rejects what DurableUn does not implement
/// rather than ignoring it: peft_type other than LORA, fan_in_fan_out, DoRA, rank/alpha patterns, LoRA biases,
/// modules_to_save, layers_to_transform; then checks every tensor against the base config, naming the tensor and both
/// shapes. Not: other PEFT methods; not: .bin (pickle) adapters; not: several adapters in one folder.
/// </summary>
public static class PeftAdapterFiles
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string KeyPrefix = "base_model.model.";

    public static void Save(string directory, LoraAdapter adapter, string baseModelNameOrPath)
    {
        Directory.CreateDirectory(directory);
        var o = adapter.Options;
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModelNameOrPath,
            ["r"] = o.Rank,
            ["lora_alpha"] = o.Alpha,
            ["lora_dropout"] = o.Dropout,
            // PEFT saves the resolved module names, "all-linear" expanded.
            ["target_modules"] = new JsonArray(LoraTargets.Projections.Where(o.ResolvedTargets.Contains).Select(t => (JsonNode)t).ToArray()),
            ["use_rslora"] = o.UseRsLora,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["init_lora_weights"] = true,
            ["inference_mode"] = true,
            ["use_dora"] = false,
        };
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (path, w) in adapter.Layers)
        {
            tensors.Add($"{KeyPrefix}{path}.lora_A.weight", w.A);
            tensors.Add($"{KeyPrefix}{path}.lora_B.weight", w.B);
        }
        SafetensorsTorch.Save(Path.Combine(directory, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), config.ToJsonString(new() { WriteIndented = true }));
    }

    /// <summary>Reads and validates an adapter against <paramref name="baseConfig"/>; tensors come back fp32 (caller disposes).</summary>
    public static LoraAdapter Load(string directory, LlamaConfig baseConfig)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{directory}: no {ConfigFile}", configPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"{directory}: no {WeightsFile}", weightsPath);
        var options = ReadOptions(File.ReadAllText(configPath), configPath);
        var tensors = SafetensorsTorch.Load(weightsPath);
        var layers = new Dictionary<string, LoraWeights>(StringComparer.Ordinal);
        try
        {
            foreach (var name in tensors.Keys.Order(StringComparer.Ordinal))
            {
                if (!name.StartsWith(KeyPrefix, StringComparison.Ordinal) || !(name.EndsWith(".lora_A.weight", StringComparison.Ordinal) || name.EndsWith(".lora_B.weight", StringComparison.Ordinal)))
                    throw new CheckpointFormatException(weightsPath, name, null, $"is not a LoRA tensor ({KeyPrefix}<module>.lora_A.weight or .lora_B.weight)");
                var path = name[KeyPrefix.Length..^".lora_A.weight".Length];
                var partner = name.EndsWith(".lora_A.weight", StringComparison.Ordinal) ? $"{KeyPrefix}{path}.lora_B.weight" : $"{KeyPrefix}{path}.lora_A.weight";
                if (!tensors.ContainsKey(partner)) throw new CheckpointFormatException(weightsPath, partner, null, $"missing; {name} has no partner");
                if (!layers.ContainsKey(path))
                    layers[path] = new LoraWeights(Fp32(tensors[$"{KeyPrefix}{path}.lora_A.weight"]), Fp32(tensors[$"{KeyPrefix}{path}.lora_B.weight"]));
            }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        var adapter = new LoraAdapter(options, layers);
        try
        {
            return adapter.ValidateAgainst(baseConfig, weightsPath);
        }
        catch
        {
            foreach (var t in adapter.Tensors) t.Dispose();
            throw;
        }
    }

    /// <summary>adapter_config.json → options, rejecting every setting whose meaning DurableUn does not implement.</summary>
    public static LoraOptions ReadOptions(string json, string file)
    {
        var obj = JsonFields.ParseObject(json, file);
        var f = new JsonFields(obj, file);
        if (f.String("peft_type") is var type && type != "LORA") throw f.Error("peft_type", "unsupported; only \"LORA\" adapters are read");
        if (f.Bool("fan_in_fan_out") == true) throw f.Error("fan_in_fan_out", "unsupported: only nn.Linear layouts (false) are read");
        if (f.Bool("use_dora") == true) throw f.Error("use_dora", "unsupported: DoRA adapters are not implemented");
        foreach (var key in new[] { "rank_pattern", "alpha_pattern" })
            if (f.Object(key) is { Count: > 0 }) throw f.Error(key, "unsupported: per-module ranks or alphas are not implemented");
        if ((f.String("bias") ?? "none") != "none") throw f.Error("bias", "unsupported: only bias \"none\" is implemented");
        foreach (var key in new[] { "modules_to_save", "layers_to_transform", "exclude_modules" })
            if (obj[key] is JsonArray { Count: > 0 } or JsonValue) throw f.Error(key, "unsupported: DurableUn adapts whole projection sets only");
        var targets = obj["target_modules"] switch
        {
            JsonValue v when v.TryGetValue(out string? s) => [s],
            JsonArray => f.Strings("target_modules")!,
            null => throw f.Error("target_modules", "is required"),
            _ => throw f.Error("target_modules", "must be a string or a list of strings"),
        };
        try
        {
            return new LoraOptions
            {
                Rank = f.Int("r") ?? 8,
                Alpha = f.Double("lora_alpha") ?? 8,
                Dropout = f.Double("lora_dropout") ?? 0,
                UseRsLora = f.Bool("use_rslora") ?? false,
                TargetModules = targets,
            }.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(file, null, null, e.Message);
        }
    }

    private static Tensor Fp32(Tensor t) => t.to_type(ScalarType.Float32, copy: true);
}
