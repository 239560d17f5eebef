using DurableUn.Checkpoints;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Data;
using DurableUn.Evaluation;
using DurableUn.Tests.Checkpoints;
using DurableUn.Tests.Checkpoints.Gguf;

namespace DurableUn.Tests.Evaluation;

/// <summary>The audit of a shipped GGUF file (llama.cpp in-process) against a reference model folder (our engine).</summary>
public sealed class GgufAuditTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly QaItem[] Forget = GgufFixtures.Forget;
    private static readonly QaItem[] Retain = GgufFixtures.Retain;

    [Fact]
    public void A_File_With_A_Foreign_Tokenizer_Is_Audited_With_Its_Own_And_Answers_As_The_Same_Model_Does_In_Our_Engine()
    {
        // Given a model whose tokenizer is not the presets' (300 BPE tokens trained on four sentences), shipped as an
        // f32 GGUF, and the same weights and tokenizer as a Hugging Face folder
        var (tokenizer, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab);
        var weights = GgufFixtures.Weights(config);
        var gguf = _dir.File("shipped.gguf");
        GgufExport.Write(gguf, config, weights, tokenizer, GgufType.F32);
        var folder = _dir.File("reference");
        ModelFolder.Save(folder, new HfModelConfig { Llama = config }, weights,
            new ModelFolderSaveOptions { Generation = new GenerationConfig { BosTokenId = config.BosTokenId, EosTokenIds = config.EosTokenIds, PadTokenId = config.PadTokenId }, TokenizerJsonSource = tokenizer });
        // When the file is audited against the folder
        var report = GgufAudit.Run(gguf, folder, Forget, Retain, AccuracyMetric.RougeRecall, new PromptTemplate.Plain(), epsilon: 0.1);
        // Then every item's greedy answer is the reference's, so FA and RA are too, and the report lists none as differing
        Assert.Equal(Forget.Length + Retain.Length, report.Items.Count);
        Assert.All(report.Items, i => Assert.Equal(i.ReferenceSaid, i.Said));
        Assert.Empty(report.Differing);
        Assert.Equal(report.ReferenceFa!.Value, report.Fa, 12);
        Assert.Equal(report.ReferenceRa!.Value, report.Ra, 12);
        Assert.Contains(report.Items, i => i.Said.Length > 0);
        Assert.Contains("| this file |", report.Markdown());
    }
}
