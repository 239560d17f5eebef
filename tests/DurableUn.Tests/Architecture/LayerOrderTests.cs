namespace DurableUn.Tests.Architecture;

/// <summary>
/// Core's namespaces in their documented layer order (ARCHITECTURE.md, "Layers and arrows"), lowest first: a
/// namespace may use only namespaces listed before it. Every namespace of DurableUn.Core, sub-namespaces included
/// (DurableUn.Data.Synthetic is its own entry), must have a place here, and ARCHITECTURE.md must list the same order.
/// A new folder is one more row, placed after everything it uses.
/// </summary>
public class LayerOrderTests
{
    /// The layer order, lowest first, with the reason each sits where it does.
    private static readonly (string Namespace, string Why)[] Layers =
    [
        ("Tensors", "native loading and threads: uses nothing"),
        ("IO", "atomic files, locks, hashes, JSON options: uses nothing"),
        ("Pipelines", "the Pipeline enum: uses nothing"),
        ("Randomness", "the seeded generator and epoch sampler that data, training and methods share: uses nothing"),
        ("Statistics", "pure numbers (KS, AUC, paired tests, Pareto, change points) that evaluation and studies share"),
        ("Model", "the Llama model: tensors only"),
        ("Tokenization", "tokenizers: IO for tokenizer.json"),
        ("Quantization", "pure transforms on tensors"),
        ("Checkpoints", "safetensors, configs, model folders: read into the model, quantized payloads"),
        ("Checkpoints.Gguf", "GGUF files: checkpoints' tensors and quantization blocks"),
        ("LlamaCpp", "llama.cpp in-process: runs GGUF files our reader has checked, with their own tokenizer"),
        ("Data", "dataset folders, rows, templates"),
        ("Data.Synthetic", "synthetic benchmark generators: write Data's folders"),
        ("Data.Tokenized", "encoded examples of the data"),
        ("Presets", "preset architectures and their tokenizer, from the synthetic data"),
        ("Adapters", "the QLoRA regime over checkpoints and quantization"),
        ("Deployment", "precisions and deployed copies of adapted models"),
        ("Training", "the AdamW loop and token losses"),
        ("Finetuning", "target and retain adapters, trained"),
        ("Pretraining", "preset bases, trained"),
        ("Methods", "unlearning methods over training"),
        ("Evaluation", "metrics and suites over deployed models"),
        ("Runs", "one fine-tune or unlearn run and its record"),
        ("Certification", "certificates over run records, re-measured"),
        ("ScaleOut", "shards, local shard processes and Slurm: uses nothing, the CLI and studies use it"),
        ("Experiments.Specs", "study.json, sweep.json and the sweep's plan, derived from its spec alone"),
        ("Experiments.Results", "what a cell stores (its outcome, rows and setting) and the folder of finished cells"),
        ("Experiments.Calibration", "the bf16 ladder search and its record: uses nothing of the experiments"),
        ("Experiments.Preparation", "the prepared folder (model, data, target and retain, reference cells) and its loaded session"),
        ("Experiments.Cells", "one unlearning cell, the positive control, and the one loop that runs a plan's cells"),
        ("Experiments.Studies", "the study: preparation tasks, calibration, cells, collection and certificates"),
        ("Experiments.Sweeps", "the sweep: one method over its plan's points, collected with the Pareto front"),
    ];

    private static readonly Dictionary<string, Dictionary<string, string>> Edges =
        NamespaceGraph.Of(typeof(DurableUn.Experiments.Studies.Study).Assembly, "DurableUn");

    [Fact]
    public void Every_Namespace_Uses_Only_Namespaces_Listed_Before_It()
    {
        var upward = Upward(Edges, Layers.Select(l => l.Namespace).ToList());
        Assert.True(upward.Count == 0, "uses of a namespace listed after the user:\n  " + string.Join("\n  ", upward));
    }

    [Fact]
    public void A_Use_Of_A_Namespace_Listed_Later_Or_Of_Itself_Listed_Twice_Is_Named()
    {
        var edges = new Dictionary<string, Dictionary<string, string>> { ["A"] = new() { ["B"] = "X → Y" } };
        Assert.Empty(Upward(edges, ["B", "A"]));
        Assert.Equal(["A → B (X → Y)"], Upward(edges, ["A", "B"]));
    }

    [Fact]
    public void A_Sub_Namespace_Is_A_Node_Of_Its_Own()
    {
        // The synthetic generators write dataset folders: an edge from Data.Synthetic to Data, which folding
        // sub-namespaces into their parent would hide.
        Assert.Contains("Data", Edges["Data.Synthetic"].Keys);
    }

    [Fact]
    public void Every_Namespace_Of_Core_Has_A_Place_In_The_Order_And_Every_Place_A_Namespace()
    {
        var actual = typeof(DurableUn.Experiments.Studies.Study).Assembly.GetTypes()
            .Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith("DurableUn.", StringComparison.Ordinal))
            .Select(ns => ns["DurableUn.".Length..])
            .ToHashSet();
        var listed = Layers.Select(l => l.Namespace).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Empty(actual.Except(listed).Order());
        Assert.Empty(listed.Except(actual));
    }

    [Fact]
    public void Architecture_Md_Lists_The_Same_Order()
    {
        Assert.Equal(Layers.Select(l => l.Namespace.Replace('.', '/')), ArchitectureDoc.CoreLayers());
    }

    /// <summary>Every edge whose target is not listed before its source, as "From → To (example)".</summary>
    private static List<string> Upward(Dictionary<string, Dictionary<string, string>> edges, IReadOnlyList<string> order)
    {
        var rank = order.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        return edges
            .SelectMany(from => from.Value.Select(to => (From: from.Key, To: to.Key, Example: to.Value)))
            .Where(e => !rank.TryGetValue(e.From, out var f) || !rank.TryGetValue(e.To, out var t) || t >= f)
            .Select(e => $"{e.From} → {e.To} ({e.Example})")
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
