using System.Text.Json.Nodes;
using DurableUn.Checkpoints;
using static TorchSharp.torch;

namespace DurableUn.Tests.Cli;

/// <summary>
/// Each class of bad input, through the tool's real entry point: a non-zero exit code that says which kind of
/// failure it was (1 bad input, 2 usage) and one line naming the file (or option) and what is wrong, no stack trace.
/// </summary>
public sealed class BadInputTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    /// <summary>The result is exactly one line with this exit code, naming every one of <paramref name="named"/>, no stack trace.</summary>
    internal static string OneLine(CliResult result, int exitCode, params string[] named)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}:\n{result.Output}");
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.DoesNotContain("   at ", result.Output);
        foreach (var n in named) Assert.Contains(n, line);
        return line;
    }

    private string CopyOfModel()
    {
        var copy = fixture.NewPath("model");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(fixture.ModelDir)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }

    [Theory]
    [InlineData("init", "--preset", "smoke", "--sed", "5", "--out", "never")]
    [InlineData("info", "MODEL", "--frob")]
    public void An_Unknown_Option_Is_A_Usage_Error_Naming_It(params string[] args)
    {
        var result = CliRunner.Run(args.Select(a => a == "MODEL" ? fixture.ModelDir : a == "never" ? fixture.NewPath("never") : a).ToArray());
        OneLine(result, 2, "Unknown option");
    }

    public static TheoryData<string, string> BrokenTokenizers() => new()
    {
        { "byte-order mark", "BOM" },
        { "unknown model type", "model.type" },
        { "missing vocab", "model.vocab" },
        { "extra top-level field", "frob" },
        { "version 99", "version" },
        { "huge id", "model.vocab" },
        { "id beyond vocab_size", "vocab_size" },
    };

    [Theory]
    [MemberData(nameof(BrokenTokenizers))]
    public void A_Broken_Tokenizer_Json_Is_One_Error_Naming_It_Not_A_Native_Crash(string broken, string field)
    {
        // Given a copy of the model whose tokenizer.json is broken in one way
        var model = CopyOfModel();
        var path = Path.Combine(model, "tokenizer.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        switch (broken)
        {
            case "unknown model type": json["model"]!["type"] = "Frobnicator"; break;
            case "missing vocab": json["model"]!.AsObject().Remove("vocab"); break;
            case "extra top-level field": json["frob"] = 1; break;
            case "version 99": json["version"] = "99"; break;
            case "huge id": json["model"]!["vocab"]!["zzz"] = JsonNode.Parse("100000000000000000000"); break;
            case "id beyond vocab_size": json["model"]!["vocab"]!["zzz"] = fixture.Config.VocabSize + 5; break;
        }
        File.WriteAllText(path, broken == "byte-order mark" ? "\uFEFF" + json.ToJsonString() : json.ToJsonString(),
                          new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        // When a command that reads it runs
        var result = CliRunner.Run("generate", model, "--prompt", "hello", "--max-new-tokens", "1");
        // Then one line names the file and what is wrong
        OneLine(result, 1, path, broken == "byte-order mark" ? "byte-order mark" : field);
    }

    [Theory]
    [InlineData("logits")]
    [InlineData("generate")]
    [InlineData("export")]
    [InlineData("info")]
    public void Non_Finite_Weights_Are_An_Error_Naming_The_Tensor_For_Every_Command(string command)
    {
        // Given a model with one NaN in its embedding
        var model = CopyOfModel();
        var weights = Path.Combine(model, "model.safetensors");
        var tensors = SafetensorsTorch.Load(weights);
        using (no_grad()) tensors["model.embed_tokens.weight"][0, 0] = float.NaN;
        SafetensorsTorch.Save(weights, tensors);
        foreach (var t in tensors.Values) t.Dispose();
        // When a command uses it
        string[] args = command switch
        {
            "logits" => ["logits", model, "--prompt", "hello"],
            "generate" => ["generate", model, "--prompt", "hello", "--max-new-tokens", "1"],
            "export" => ["export", "gguf", model, "--type", "f32", "--out", fixture.NewPath("nan") + ".gguf"],
            _ => ["info", model],
        };
        var result = CliRunner.Run(args);
        // Then it fails naming the tensor (info shows it in its table and exits 1)
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("model.embed_tokens.weight", result.Output);
        if (command != "info") OneLine(result, 1, "model.safetensors", "NaN or Inf");
    }

    [Theory]
    [InlineData("logits", "layers.0.self_attn.q_proj")]
    [InlineData("logits", "layers.0.self_attn.q_proj", "--precision", "int4")]
    [InlineData("logits", "layers.0.self_attn.q_proj", "--precision", "merged-nf4")]
    [InlineData("generate", "layers.0.self_attn.q_proj", "--precision", "int8")]
    [InlineData("logits", "layers.0.self_attn.q_proj", "--precision", "bf16")]     // bf16 keeps A and B apart; their product is checked
    [InlineData("generate", "layers.0.self_attn.q_proj", "--precision", "bf16")]
    public void An_Adapter_Whose_Merge_Overflows_Is_Refused_Naming_It_And_The_Tensor(string command, string tensor, params string[] precision)
    {
        // Given an adapter whose values are finite (B = 3e38, A = 1) but whose product scale·B·A overflows fp32
        var adapter = fixture.NewPath("adapter");
        Directory.CreateDirectory(adapter);
        foreach (var f in Directory.GetFiles(fixture.AdapterDir)) File.Copy(f, Path.Combine(adapter, Path.GetFileName(f)));
        var weights = Path.Combine(adapter, "adapter_model.safetensors");
        var tensors = SafetensorsTorch.Load(weights);
        var b = Assert.Single(tensors.Keys, k => k.Contains("layers.0.self_attn.q_proj.lora_B", StringComparison.Ordinal));
        using (no_grad())
        {
            tensors[b].fill_(3e38f);
            tensors[b.Replace("lora_B", "lora_A", StringComparison.Ordinal)].fill_(1f);
        }
        SafetensorsTorch.Save(weights, tensors);
        foreach (var t in tensors.Values) t.Dispose();
        // When the model is run with it
        string[] args = [command, fixture.ModelDir, "--prompt", "hello", "--adapter", adapter, .. precision];
        if (command == "generate") args = [.. args, "--max-new-tokens", "1"];
        // Then one line, bad input, names the adapter and the overflowing tensor: never a flat distribution
        OneLine(CliRunner.Run(args), 1, adapter, tensor, "NaN or Inf");
    }

    public static TheoryData<string, string?> BrokenCertificates() => new()
    {
        { "empty", "" },
        { "truncated", "{\"schema_version\": 1, \"dataset\": \"to" },
        { "wrong type", "[]" },
        { "missing field", "{\"schema_version\": 1, \"dataset\": \"tofu\"}" },
        { "null list", "{\"schema_version\": 1, \"dataset\": \"tofu\", \"method\": \"ga\", \"epsilon\": 0.1, \"precisions\": null, \"metric\": \"token_accuracy\", \"base_sha256\": \"\", \"data_sha256\": \"\", \"seeds\": []}" },
        { "directory", null },
    };

    [Theory]
    [MemberData(nameof(BrokenCertificates))]
    public void A_Malformed_Certificate_Is_One_Error_Naming_It(string _, string? content)
    {
        var path = fixture.NewPath("certificate") + ".json";
        if (content is null) Directory.CreateDirectory(path);
        else File.WriteAllText(path, content);
        OneLine(CliRunner.Run("certify", "--verify", path), 1, path);
    }

    [Theory]
    [InlineData("study.json", "{")]
    [InlineData("study.json", "[]")]
    [InlineData("study.json", "{\"methods\": null}")]
    [InlineData("study.json", "{\"epsilon\": 7}")]
    [InlineData("cells/tofu__ga__calibrated__seed0.json", "{")]
    [InlineData("cells/tofu__ga__calibrated__seed0.json", "{\"key\": null}")]
    [InlineData("cells/tofu__ga__calibrated__seed0.json", null)]
    public void A_Malformed_Study_Or_Cell_File_Is_One_Error_Naming_It(string file, string? content)
    {
        // Given a study folder with a valid study.json and one broken file
        var study = fixture.NewPath("study");
        Directory.CreateDirectory(Path.Combine(study, "cells"));
        File.WriteAllText(Path.Combine(study, "study.json"), "{\"preset\": \"smoke\"}");
        var path = Path.Combine(study, file);
        if (content is null) Directory.CreateDirectory(path);
        else File.WriteAllText(path, content);
        // When it is reported
        var result = CliRunner.Run("report", study);
        // Then the broken file is named
        OneLine(result, 1, Path.GetFileName(path));
    }

    [Theory]
    [InlineData("--shard", "x")]
    [InlineData("--shard", "5/2")]
    [InlineData("--precisions", "bf16,int4:g7")]
    [InlineData("--epsilon", "-1")]
    [InlineData("--audit-epsilon", "2")]
    public void A_Bad_Study_Setting_Is_Refused_Before_Anything_Is_Prepared(string option, string value)
    {
        var outDir = fixture.NewPath("study");
        var result = CliRunner.Run("study", "--preset", "smoke", option, value, "--out", outDir);
        OneLine(result, DurableUn.Cli.CliErrors.Usage, value.Split(',')[^1].Split(':')[^1]);
        Assert.False(Directory.Exists(outDir), "nothing may be prepared for a study that cannot run");
    }

    [Theory]
    [InlineData("--lr", "0")]
    [InlineData("--steps", "0")]
    public void Finetune_Refuses_A_Run_That_Cannot_Train_Before_Loading_Anything(string option, string value)
    {
        var outDir = fixture.NewPath("ft");
        OneLine(CliRunner.Run("finetune", "--model", "/nonexistent/m", "--data", "/nonexistent/d", "--out", outDir, option, value), 2, option);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Unlearn_Of_Zero_Steps_Is_Refused_Naming_The_Option_And_Leaves_No_Folder()
    {
        var outDir = fixture.NewPath("unlearned");
        var result = CliRunner.Run("unlearn", "--model", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--data", "/nonexistent/d",
                                   "--method", "ga", "--set", "steps=0", "--out", outDir);
        OneLine(result, DurableUn.Cli.CliErrors.Usage, "--set steps=0");
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(outDir)!, $".{Path.GetFileName(outDir)}*"));
    }

    [Fact]
    public void Logits_Without_A_Prompt_Is_A_Usage_Error()
    {
        OneLine(CliRunner.Run("logits", fixture.ModelDir), 2, "--prompt");
    }

    [Theory]
    [InlineData("init")]
    [InlineData("finetune")]
    [InlineData("unlearn")]
    public void An_Existing_Out_Folder_Is_Refused_Up_Front_And_Left_As_It_Was(string command)
    {
        // Given an --out folder holding someone's file
        var outDir = fixture.NewPath("existing");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "keep");
        string[] args = command switch
        {
            "init" => ["init", "--preset", "smoke", "--out", outDir],
            "finetune" => ["finetune", "--model", fixture.ModelDir, "--data", "/nonexistent/d", "--out", outDir],
            _ => ["unlearn", "--model", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--data", "/nonexistent/d", "--method", "ga", "--out", outDir],
        };
        // When the command runs
        var result = CliRunner.Run(args);
        // Then it is refused naming the folder, and the folder is untouched
        OneLine(result, 2, outDir, "already exists");
        Assert.Equal("keep", File.ReadAllText(Path.Combine(outDir, "keep.txt")));
    }

    [Fact]
    public void Generate_Caps_The_Length_At_The_Models_Context_And_Says_So()
    {
        // Given a model whose context is 8 positions
        var model = CopyOfModel();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "config.json")))!;
        config["max_position_embeddings"] = 8;
        File.WriteAllText(Path.Combine(model, "config.json"), config.ToJsonString());
        // When 100000 new tokens are asked for
        var result = CliRunner.Run("generate", model, "--prompt", "hello", "--max-new-tokens", "100000");
        // Then it generates what fits and says why it stopped there
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("capped to", result.Output);
        Assert.Contains("max_position_embeddings", result.Output);
    }

    [Fact]
    public void Data_Show_Prints_A_Bounded_Excerpt_Of_One_Long_Row()
    {
        // Given a dataset whose first forget question is half a million characters on one line (under the record limit)
        var data = DataWithFirstQuestion(string.Concat(Enumerable.Repeat("word ", 100_000)));
        // When it is shown
        var result = CliRunner.Succeed("data", "show", data);
        // Then the example line is short and says how long the row really is
        var line = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("forget01: word", StringComparison.Ordinal));
        Assert.True(line.Length < 400, $"example line of {line.Length} characters");
        Assert.Matches(@"… \(5\d{5} characters\)$", line);
    }

    [Theory]
    [InlineData("data", false)]
    [InlineData("audit", false)]
    [InlineData("audit", true)]
    public void A_Row_Over_The_Record_Limit_Is_Refused_Naming_File_Row_And_Length(string command, bool jsonLines)
    {
        // Given a forget file whose first question is 50 MB on one line (a JSON array or JSON Lines)
        var data = DataWithFirstQuestion(new string('x', 50_000_000), jsonLines);
        var file = Path.Combine(data, "forget01.json");
        // When it is shown or audited
        var result = command == "data" ? CliRunner.Run("data", "show", data)
            : CliRunner.Run("audit", "--base", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--forget", file, "--retain", Path.Combine(data, "retain99.json"));
        // Then it is refused before any model work (and before the rest of the line is read), naming the file, the
        // row and the limit it passed
        OneLine(result, 1, file, "row 0", "more than 1048576 bytes");
    }

    [Fact]
    public void Audit_Refuses_A_Row_Longer_Than_The_Models_Context_Naming_It()
    {
        // Given a forget file whose second question is 3000 words, beyond the smoke model's context
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data);
        var file = Path.Combine(data, "forget01.json");
        var rows = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        rows[1]!["question"] = string.Concat(Enumerable.Repeat("word ", 3000));
        File.WriteAllText(file, rows.ToJsonString());
        // When it is audited / Then refused naming file, row and the token counts
        var result = CliRunner.Run("audit", "--base", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--forget", file, "--retain", Path.Combine(data, "retain99.json"));
        OneLine(result, 1, file, "row 1", "max_position_embeddings");
    }

    [Fact]
    public void Audit_Of_A_Folder_Says_It_Is_A_Folder()
    {
        var folder = fixture.NewPath("forget");
        Directory.CreateDirectory(folder);
        OneLine(CliRunner.Run("audit", "--base", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--forget", folder, "--retain", folder),
                1, folder, "is a folder, not a file");
    }

    [Fact]
    public void Data_Show_Names_A_Missing_Split()
    {
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data);
        File.Delete(Path.Combine(data, "forget10.json"));
        var result = CliRunner.Succeed("data", "show", data);
        Assert.Contains(result.Output.Split('\n'), l => l.StartsWith("missing: forget10", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("forget", 1)]
    [InlineData("hard_retain", 0)]
    public void A_Wpu_Forget_Row_Without_Its_Page_Is_Refused_And_A_Hard_Retain_Row_Accepted(string split, int exitCode)
    {
        // Given a WPU folder whose first row of the split has no wikipage (the card lets only retain rows leave it out)
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "wpu", "--preset", "smoke", "--out", data);
        var file = Directory.GetFiles(data, split + ".*").Single();
        var rows = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        rows[0]!.AsObject().Remove("wikipage");
        File.WriteAllText(file, rows.ToJsonString());
        // When it is shown / Then forget is refused naming file, row and field, hard_retain accepted
        var result = CliRunner.Run("data", "show", data);
        if (exitCode == 0) Assert.Equal(0, result.ExitCode);
        else OneLine(result, exitCode, file, "row 0", "wikipage");
    }

    [Fact]
    public void A_Negative_Manifest_Seed_Is_Named_In_The_Files_Words()
    {
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data);
        var manifest = Path.Combine(data, "dataset.json");
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["seed"] = -1;
        File.WriteAllText(manifest, json.ToJsonString());
        var line = OneLine(CliRunner.Run("data", "show", data), 1, manifest, "seed", "-1", "whole number");
        Assert.DoesNotMatch(@"Nullable|UInt64|System\.", line);
    }

    private string DataWithFirstQuestion(string question, bool jsonLines = false)
    {
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data);
        var file = Path.Combine(data, "forget01.json");
        var rows = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        rows[0]!["question"] = question;
        File.WriteAllText(file, jsonLines ? string.Join("\n", rows.Select(r => r!.ToJsonString())) : rows.ToJsonString());
        return data;
    }

    [Theory]
    [InlineData("forget01.json")]
    [InlineData("dataset.json")]
    public void A_Data_File_That_Is_A_Directory_Is_An_Error_Naming_It(string name)
    {
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data);
        File.Delete(Path.Combine(data, name));
        Directory.CreateDirectory(Path.Combine(data, name));
        OneLine(CliRunner.Run("data", "show", data), 1, name, "is a folder, not a file");
    }

    [Fact]
    public void A_File_That_Is_Not_Parquet_Is_An_Error_Naming_It()
    {
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data);
        File.Delete(Path.Combine(data, "forget01.json"));
        File.WriteAllText(Path.Combine(data, "forget01.parquet"), "not parquet");
        OneLine(CliRunner.Run("data", "show", data), 1, "forget01.parquet", "Parquet");
    }

    [Fact]
    public void A_Truncated_Gguf_Is_One_Error_Naming_It_In_Generate_Logits_And_Audit_And_Writes_No_Report()
    {
        // Given a GGUF exported from the model and cut in its tensor data, and QA files
        var gguf = fixture.NewPath("model.gguf");
        CliRunner.Succeed("export", "gguf", fixture.ModelDir, "--type", "f32", "--out", gguf);
        var bytes = File.ReadAllBytes(gguf);
        File.WriteAllBytes(gguf, bytes[..(bytes.Length / 2)]);
        var data = fixture.NewPath("data");
        CliRunner.Succeed("data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data);
        var report = fixture.NewPath("audit");
        // When each command is given the file, then it is one line naming the file and its truncation, exit 1
        OneLine(CliRunner.Run("generate", gguf, "--prompt", "hello"), 1, gguf, "Truncated");
        OneLine(CliRunner.Run("logits", gguf, "--prompt", "hello"), 1, gguf, "Truncated");
        OneLine(CliRunner.Run("audit", "--gguf", gguf, "--forget", Path.Combine(data, "forget01.json"), "--retain", Path.Combine(data, "retain99.json"),
            "--out", report), 1, gguf, "Truncated");
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void An_Unexpected_Error_Exits_70_And_A_Cancelled_Run_130()
    {
        Assert.Equal((DurableUn.Cli.CliErrors.Internal, "internal error"), DurableUn.Cli.CliErrors.Classify(new NullReferenceException()));
        Assert.Equal(DurableUn.Cli.CliErrors.Cancelled, DurableUn.Cli.CliErrors.Classify(new OperationCanceledException()).Code);
        Assert.Equal(DurableUn.Cli.CliErrors.BadInput, DurableUn.Cli.CliErrors.Classify(new DurableUn.IO.JsonFileException("f.json", "x", "bad")).Code);
    }
}
