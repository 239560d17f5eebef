using System.Text;
using System.Text.Json;
using DurableUn.Adapters;
using DurableUn.Certification;
using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Experiments;
using DurableUn.IO;
using DurableUn.Tokenization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Fuzz;

/// <summary>
/// Every reader of the tool, fed <see cref="FuzzProperty.Cases"/> broken variants of one valid file (fixed seed, so a
/// failure replays), returns a value or throws a typed error naming the file — never anything else.
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    private const int Seed = 13;
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Safetensors_Reader_Gives_A_Typed_Error_Or_Tensors_For_Any_Broken_File()
    {
        DurableUn.Tensors.NativeTorch.EnsureLoaded();
        var path = Path.Combine(_dir, "model.safetensors");
        using (var a = arange(6, dtype: float32).reshape(2, 3)) using (var b = ones(4, dtype: bfloat16))
            SafetensorsTorch.Save(path, new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b });
        var valid = File.ReadAllBytes(path);
        var mutations = new Mutations(Seed);
        for (var i = 0; i < FuzzProperty.Cases; i++)
        {
            var bytes = mutations.Bytes(valid);
            File.WriteAllBytes(path, bytes);
            FuzzProperty.TypedErrorOrValue(path, () =>
            {
                foreach (var t in SafetensorsTorch.Load(path).Values) t.Dispose();
            }, Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 200))));
        }
    }

    [Fact]
    public void Config_Reader_Gives_A_Typed_Error_Or_A_Config_For_Any_Broken_Json()
    {
        var valid = new HfModelConfig { Llama = DurableUn.Presets.ModelPresets.Config(DurableUn.Presets.ModelPreset.Smoke, 100) };
        var path = Path.Combine(_dir, "config.json");
        valid.Write(path);
        FuzzJson(path, File.ReadAllText(path), () => HfModelConfig.Read(path));
    }

    [Fact]
    public void Tokenizer_Reader_Gives_A_Typed_Error_Or_A_Tokenizer_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "tokenizer.json");
        var valid = WordLevelTokenizerBuilder.Build(["the cat sat on the mat", "a dog ran"]);
        FuzzJson(path, valid, () => HfTokenizer.Load(path, SpecialTokens.Llama3).Dispose());
    }

    [Fact]
    public void Adapter_Config_Reader_Gives_A_Typed_Error_Or_Options_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "adapter_config.json");
        var valid = """
            {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 8, "lora_alpha": 16, "lora_dropout": 0.0, "bias": "none",
             "target_modules": ["q_proj", "v_proj"], "base_model_name_or_path": "m", "fan_in_fan_out": false}
            """;
        PeftAdapterFiles.ReadOptions(valid, path); // the seed input is valid
        FuzzJson(path, valid, () => PeftAdapterFiles.ReadOptions(File.ReadAllText(path), path));
    }

    [Theory]
    [InlineData(DatasetKind.Tofu)]
    [InlineData(DatasetKind.Muse)]
    [InlineData(DatasetKind.Wpu)]
    public void Dataset_Loader_Gives_A_Typed_Error_Or_A_Dataset_When_Any_File_Is_Broken(DatasetKind kind)
    {
        var folder = Path.Combine(_dir, kind.ToString());
        SyntheticDatasets.Write(kind, DataPreset.Smoke, 0, folder);
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList();
        var originals = files.ToDictionary(f => f, File.ReadAllBytes);
        var mutations = new Mutations(Seed);
        var pick = new Random(Seed);
        for (var i = 0; i < FuzzProperty.Cases / 2; i++)
        {
            var file = files[pick.Next(files.Count)];
            var text = Encoding.UTF8.GetString(originals[file]);
            var broken = file.EndsWith(".parquet", StringComparison.Ordinal) ? Encoding.Latin1.GetString(mutations.Bytes(originals[file]))
                : IsJson(text) ? mutations.Json(text) : Encoding.UTF8.GetString(mutations.Bytes(originals[file]));
            File.WriteAllText(file, broken);
            FuzzProperty.TypedErrorOrValue(file, () => DatasetFolder.Load(folder).Summary(), broken);
            File.WriteAllBytes(file, originals[file]);
        }
    }

    [Fact]
    public void Certificate_Reader_Gives_A_Typed_Error_Or_A_Certificate_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "certificate.json");
        CertificateFile.Write(path, new Certificate
        {
            Dataset = "tofu", Method = "ga", Epsilon = 0.1, Precisions = ["bf16", "int4"], Metric = "token_accuracy",
            BaseSha256 = "00", DataSha256 = "11",
            Seeds = [new SeedVerdict { Seed = 0, RunDir = "adapters/x", AdapterSha256 = "22", OptionsSha256 = "33",
                                       Fa = new Dictionary<string, double> { ["bf16"] = 0.1, ["int4"] = 0.2 }, Ra = new Dictionary<string, double> { ["bf16"] = 0.9, ["int4"] = 0.8 } }],
        });
        FuzzJson(path, File.ReadAllText(path), () =>
        {
            var certificate = CertificateFile.Read(path);
            JsonSerializer.Serialize(certificate, JsonDefaults.Options); // every derived value (cert_rate, max_fa) computes
            CertificateFile.StoredSummary(path);
        });
    }

    [Fact]
    public void Cell_Reader_Gives_A_Typed_Error_Or_Cells_For_Any_Broken_Json()
    {
        var store = new CellStore(Path.Combine(_dir, "cells"), JsonDefaults.Options);
        var cell = new CellOutcome
        {
            Key = "tofu__ga__calibrated__seed0", Dataset = "tofu", Method = "ga", Setting = "calibrated", Seed = 0,
            Options = new Dictionary<string, string> { ["lr"] = "1e-4" },
            Records = [new CellRecord { Dataset = "tofu", Method = "ga", Seed = 0, Precision = "bf16", Metric = "token_accuracy", Fa = 0.1, Ra = 0.9 }],
        };
        store.Write(cell.Key, cell);
        var path = store.PathOf(cell.Key);
        FuzzJson(path, File.ReadAllText(path), () => JsonSerializer.Serialize(store.ReadAll<CellOutcome>(), JsonDefaults.Options));
    }

    [Fact]
    public void Study_Spec_Reader_Gives_A_Typed_Error_Or_A_Valid_Spec_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "study.json");
        var valid = JsonSerializer.Serialize(StudySpec.Smoke, JsonDefaults.Options);
        FuzzJson(path, valid, () => JsonSerializer.Serialize(JsonFile.Read<StudySpec>(path, JsonDefaults.Options, s => s.Validate()), JsonDefaults.Options));
    }

    private static void FuzzJson(string path, string valid, Action read)
    {
        File.WriteAllText(path, valid);
        read(); // the seed input itself is accepted
        var mutations = new Mutations(Seed);
        for (var i = 0; i < FuzzProperty.Cases; i++)
        {
            var broken = mutations.Json(valid);
            File.WriteAllText(path, broken);
            FuzzProperty.TypedErrorOrValue(path, read, broken);
        }
    }

    private static bool IsJson(string text)
    {
        try { JsonDocument.Parse(text).Dispose(); return true; }
        catch (JsonException) { return false; }
    }
}
