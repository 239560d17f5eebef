using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Data.Tokenized;
using DurableUn.Model;
using DurableUn.Tensors;
using DurableUn.Tests.Data;
using DurableUn.Tests.Model;
using DurableUn.Tokenization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Evaluation;

/// A smoke dataset, a word-level tokenizer over it, and an untrained 2-layer model with room for MUSE's prompts.
internal sealed class SmokeSetup : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly HfTokenizer _tokenizer;

    public SmokeSetup(DatasetKind kind)
    {
        NativeTorch.EnsureLoaded();
        Data = SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 3, _dir.Combine("data"));
        var path = _dir.File("tokenizer.json", WordLevelTokenizerBuilder.Build(Data.AllText().Append("Question: Answer:")));
        _tokenizer = HfTokenizer.Load(path, SpecialTokens.Llama3);
        Encoder = new QaEncoder(_tokenizer, new PromptTemplate.Plain());
        manual_seed(5);
        Model = new CausalLm(ModelFixtures.Tiny() with { VocabSize = _tokenizer.VocabSize, MaxPositionEmbeddings = 512 }, new DenseProjections());
    }

    /// <summary>
    /// Zeroes lm_head so that every logit is 0: the model predicts the uniform distribution over the vocabulary,
    /// log p = −ln V for every token, and greedy decoding picks id 0 (&lt;|pad|&gt;) forever.
    /// </summary>
    public SmokeSetup Uniform()
    {
        using var _ = no_grad();
        Model.named_parameters().Single(p => p.name == "lm_head.weight").parameter.zero_();
        return this;
    }

    public Dataset Data { get; }
    public QaEncoder Encoder { get; }
    public CausalLm Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        _tokenizer.Dispose();
        _dir.Dispose();
    }
}
