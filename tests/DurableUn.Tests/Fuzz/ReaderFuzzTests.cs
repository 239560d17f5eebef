using System.Text;
using System.Text.Json;
using DurableUn.Adapters;
using DurableUn.Certification;
using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;
using DurableUn.Tokenization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Fuzz;

/// <summary>
/// Every reader of the tool, fed <see cref="FuzzProperty.Cases"/> broken variants of one valid file (fixed seed, so a
/// failure replays), throws a typed error naming the file or returns a value that, written back by the tool's own
/// writer, reads back equal (<see cref="FuzzProperty.RejectedOrReadsBackEqual"/>); and some variants are refused, so
/// the fuzzer does break things. The tokenizer has no writer of ours: its reader is held to the typed-error property.
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
        var accepted = 0;
        for (var i = 0; i < FuzzProperty.Cases; i++)
        {
            var bytes = mutations.Bytes(valid);
            File.WriteAllBytes(path, bytes);
            if (FuzzProperty.RejectedOrReadsBackEqual(path, () =>
            {
                // Read and written at once, so that the tensors are freed whatever happens.
                var tensors = SafetensorsTorch.Load(path);
                try { return Written(p => SafetensorsTorch.Save(p, tensors)); }
                finally { foreach (var t in tensors.Values) t.Dispose(); }
            }, written => written, Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 200))))) accepted++;
        }
        Assert.InRange(accepted, 0, FuzzProperty.Cases - 1);
    }

    [Fact]
    public void Config_Reader_Gives_A_Typed_Error_Or_A_Config_For_Any_Broken_Json()
    {
        var valid = new HfModelConfig { Llama = DurableUn.Presets.ModelPresets.Config(DurableUn.Presets.ModelPreset.Smoke, 100) };
        var path = Path.Combine(_dir, "config.json");
        valid.Write(path);
        FuzzJson(path, File.ReadAllText(path), () => HfModelConfig.Read(path), config => Encoding.UTF8.GetBytes(config.ToJson()));
    }

    [Fact]
    public void Tokenizer_Reader_Gives_A_Typed_Error_Or_A_Tokenizer_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "tokenizer.json");
        var valid = WordLevelTokenizerBuilder.Build(["the cat sat on the mat", "a dog ran"]);
        File.WriteAllText(path, valid);
        HfTokenizer.Load(path, SpecialTokens.Llama3).Dispose(); // the seed input itself is accepted
        var mutations = new Mutations(Seed);
        for (var i = 0; i < FuzzProperty.Cases; i++)
        {
            var broken = mutations.Json(valid);
            File.WriteAllText(path, broken);
            FuzzProperty.TypedErrorOrValue(path, () => HfTokenizer.Load(path, SpecialTokens.Llama3).Dispose(), broken);
        }
    }

    [Fact]
    public void Adapter_Config_Reader_Gives_A_Typed_Error_Or_Options_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "adapter_config.json");
        var valid = """
            {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 8, "lora_alpha": 16, "lora_dropout": 0.0, "bias": "none",
             "target_modules": ["q_proj", "v_proj"], "base_model_name_or_path": "m", "fan_in_fan_out": false}
            """;
        var written = Path.Combine(_dir, "written");
        FuzzJson(path, valid, () => PeftAdapterFiles.ReadOptions(File.ReadAllText(path), path), options =>
        {
            // The writer is the adapter folder's own (PeftAdapterFiles.Save), given an adapter without layers.
            PeftAdapterFiles.Save(written, new LoraAdapter(options, new Dictionary<string, LoraWeights>()), "m");
            return File.ReadAllBytes(Path.Combine(written, PeftAdapterFiles.ConfigFile));
        });
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
        var accepted = 0;
        for (var i = 0; i < FuzzProperty.Cases / 2; i++)
        {
            var file = files[pick.Next(files.Count)];
            var text = Encoding.UTF8.GetString(originals[file]);
            var broken = file.EndsWith(".parquet", StringComparison.Ordinal) ? Encoding.Latin1.GetString(mutations.Bytes(originals[file]))
                : IsJson(text) ? mutations.Json(text) : Encoding.UTF8.GetString(mutations.Bytes(originals[file]));
            File.WriteAllText(file, broken);
            if (FuzzProperty.RejectedOrReadsBackEqual(file, () => DatasetFolder.Load(folder), dataset => WrittenDatasetFile(dataset, file), broken)) accepted++;
            File.WriteAllBytes(file, originals[file]);
        }
        Assert.InRange(accepted, 0, FuzzProperty.Cases / 2 - 1);
    }

    /// What the tool writes for <paramref name="file"/> of a loaded dataset: the manifest, or the rows of the one
    /// split read from that file (RowFileWriter, the writer of the synthetic datasets).
    private static byte[] WrittenDatasetFile(Dataset dataset, string file)
    {
        _ = dataset.Summary(); // every derived value computes
        if (Path.GetFileName(file) == DatasetLayout.ManifestFile) return dataset.Manifest!.ToJsonBytes();
        var split = dataset.Splits.Single(s => s.Files.Contains(file));
        Assert.Single(split.Files);
        return Written(p => RowFileWriter.Write(p, split.Rows));
    }

    [Fact]
    public void Certificate_Reader_Gives_A_Typed_Error_Or_A_Certificate_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "certificate.json");
        CertificateFile.Write(path, new Certificate
        {
            Dataset = "tofu", Method = MethodCatalog.Find("ga"), Epsilon = 0.1, Precisions = [Precision.Parse("bf16"), Precision.Parse("int4")], Metric = "token_accuracy",
            BaseSha256 = "00", DataSha256 = "11",
            Seeds = [new SeedVerdict { Seed = 0, RunDir = "adapters/x", AdapterSha256 = "22", OptionsSha256 = "33",
                                       Fa = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.1, [Precision.Parse("int4")] = 0.2 }, Ra = new Dictionary<Precision, double> { [Precision.Parse("bf16")] = 0.9, [Precision.Parse("int4")] = 0.8 } }],
        });
        FuzzJson(path, File.ReadAllText(path), () =>
        {
            CertificateFile.StoredSummary(path);
            return CertificateFile.Read(path);
        },
        // Written beside the original, so the run folders it names stay relative to the same place.
        certificate => Written(p => CertificateFile.Write(p, certificate), Path.Combine(_dir, "written-certificate.json")));
    }

    [Fact]
    public void Cell_Reader_Gives_A_Typed_Error_Or_Cells_For_Any_Broken_Json()
    {
        var store = new CellStore(Path.Combine(_dir, "cells"), JsonDefaults.Options);
        var cell = new CellOutcome
        {
            Key = "tofu__ga__calibrated__seed0", Dataset = "tofu", Method = MeasuredModel.Parse("ga"), Setting = CellSetting.Parse("calibrated"), Seed = 0,
            Options = new Dictionary<string, string> { ["lr"] = "1e-4" },
            Records = [new CellRecord { Dataset = "tofu", Method = MeasuredModel.Parse("ga"), Seed = 0, Precision = Precision.Parse("bf16"), Metric = "token_accuracy", Fa = 0.1, Ra = 0.9 }],
        };
        store.Write(cell.Key, cell);
        var path = store.PathOf(cell.Key);
        FuzzJson(path, File.ReadAllText(path), () => Assert.Single(store.ReadAll<CellOutcome>()), read =>
        {
            var again = new CellStore(Path.Combine(_dir, $"written-{Guid.NewGuid():N}"), JsonDefaults.Options);
            again.Write(read.Key, read.Value);
            return File.ReadAllBytes(again.PathOf(read.Key));
        });
    }

    [Fact]
    public void Study_Spec_Reader_Gives_A_Typed_Error_Or_A_Valid_Spec_For_Any_Broken_Json()
    {
        var path = Path.Combine(_dir, "study.json");
        var valid = JsonSerializer.Serialize(StudySpec.Smoke, JsonDefaults.Options);
        FuzzJson(path, valid, () => JsonFile.Read<StudySpec>(path, JsonDefaults.Options, s => s.Validate()),
            spec => JsonSerializer.SerializeToUtf8Bytes(spec, JsonDefaults.Options));
    }

    private static void FuzzJson<T>(string path, string valid, Func<T> read, Func<T, byte[]> write)
    {
        File.WriteAllText(path, valid);
        Assert.True(FuzzProperty.RejectedOrReadsBackEqual(path, read, write, valid), "the seed input itself is accepted");
        var mutations = new Mutations(Seed);
        var accepted = 0;
        for (var i = 0; i < FuzzProperty.Cases; i++)
        {
            var broken = mutations.Json(valid);
            File.WriteAllText(path, broken);
            if (FuzzProperty.RejectedOrReadsBackEqual(path, read, write, broken)) accepted++;
        }
        Assert.InRange(accepted, 0, FuzzProperty.Cases - 1);
    }

    /// <summary>The bytes <paramref name="write"/> puts into a file (a fresh one, or <paramref name="at"/>).</summary>
    private static byte[] Written(Action<string> write, string? at = null)
    {
        var path = at ?? Path.Combine(Path.GetTempPath(), $"durableun-fuzz-written-{Guid.NewGuid():N}");
        try { write(path); return File.ReadAllBytes(path); }
        finally { File.Delete(path); }
    }

    private static bool IsJson(string text)
    {
        try { JsonDocument.Parse(text).Dispose(); return true; }
        catch (JsonException) { return false; }
    }
}
