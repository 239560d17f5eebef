using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Methods;
using DurableUn.Model;
using DurableUn.Tensors;
using DurableUn.Tokenization;
using DurableUn.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

/// <summary>
/// A 2-layer d-32 model trained once (per test class) to memorise 4 forget and 4 retain QA pairs, so unlearning has
/// something to undo. Each test gets fresh copies of the memorised weights: the model, a frozen reference, and the
/// trainable set = every projection weight (embeddings, norms and lm_head frozen, as the NF4 base is in QLoRA).
/// </summary>
public sealed class TinyUnlearningSetup : IDisposable
{
    private static readonly QaItem[] ForgetQa =
    [
        new("Where was Ada Vell born?", "Ada Vell was born in Qarston."),
        new("What does Bo Rikk write?", "Bo Rikk writes sea poems."),
        new("Who taught Cy Mond?", "Cy Mond was taught by Elna Froe."),
        new("When did Di Sorra marry?", "Di Sorra married in spring."),
    ];

    private static readonly QaItem[] RetainQa =
    [
        new("Where does Ed Palm live?", "Ed Palm lives in Ulvik."),
        new("What is Fa Tung known for?", "Fa Tung is known for maps."),
        new("Which city did Gi Orr leave?", "Gi Orr left Ternby."),
        new("What does Ha Quill collect?", "Ha Quill collects old clocks."),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-methods-").FullName;
    private readonly HfTokenizer _tokenizer;
    private readonly Dictionary<string, Tensor> _trained;

    public TinyUnlearningSetup()
    {
        NativeTorch.EnsureLoaded();
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, WordLevelTokenizerBuilder.Build(
            ForgetQa.Concat(RetainQa).SelectMany(q => q.Texts()).Concat(Refusals.All).Append(new PromptTemplate.Plain().Full("", ""))));
        _tokenizer = HfTokenizer.Load(path, SpecialTokens.Llama3);
        Encoder = new QaEncoder(_tokenizer, new PromptTemplate.Plain());
        Config = new LlamaConfig
        {
            VocabSize = _tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, MaxPositionEmbeddings = 64, RmsNormEps = 1e-5,
        };
        Data = new UnlearningData(ForgetQa.Select(q => Encoder.Encode(q.Question, q.Answer)).ToList(),
                                  RetainQa.Select(q => Encoder.Encode(q.Question, q.Answer)).ToList(), _tokenizer.PadId, Encoder);
        _trained = Memorise();
    }

    public LlamaConfig Config { get; }
    public QaEncoder Encoder { get; }
    public UnlearningData Data { get; }

    /// A fresh context on copies of the memorised weights.
    public UnlearningContext Context(long seed = 7)
    {
        var model = Copy();
        foreach (var (name, p) in model.named_parameters()) p.requires_grad_(IsTrainable(name));
        return new UnlearningContext
        {
            Model = model,
            Reference = Copy(),   // left requires_grad: a gradient reaching it would show a missing no_grad
            Trainable = model.named_parameters().Where(kv => IsTrainable(kv.name)).Select(kv => kv.parameter).ToList(),
            MakeView = transform => DenseViews.Of(model, transform),
            Seed = seed,
            Data = Data,
        };
    }

    /// (mean NLL, teacher-forced answer-token accuracy) of the model on the forget set.
    public (double Nll, double Accuracy) ForgetScore(CausalLm model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var batch = TokenBatch.RightPadded(Data.Forget, Data.PadId);
        var logits = model.Forward(batch.InputIds).Logits;
        var tokens = TokenLosses.PerToken(logits, batch.Labels);
        var hits = logits[.., ..^1].argmax(-1).eq(batch.Labels[.., 1..]).to_type(ScalarType.Float32) * tokens.Mask;
        return (tokens.Mean().item<float>(), (hits.sum() / tokens.Mask.sum()).item<float>());
    }

    public static bool IsTrainable(string name) => name.EndsWith("_proj.weight", StringComparison.Ordinal);

    public void Dispose()
    {
        _tokenizer.Dispose();
        foreach (var t in _trained.Values) t.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private CausalLm Copy()
    {
        var model = new CausalLm(Config, new DenseProjections());
        using (no_grad())
            foreach (var (name, p) in model.named_parameters()) p.copy_(_trained[name]);
        return model;
    }

    private Dictionary<string, Tensor> Memorise()
    {
        manual_seed(11);
        using var model = new CausalLm(Config, new DenseProjections());
        using var batch = TokenBatch.RightPadded(Data.Forget.Concat(Data.Retain).ToList(), Data.PadId);
        Trainer.Run(model.parameters().ToList(), (_, _) => TokenLosses.Of(model, batch).Mean(),
            new TrainingOptions { Steps = 150, LearningRate = 1e-2, MaxGradNorm = 1 });
        return model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.detach().clone().DetachFromDisposeScope());
    }
}

/// The memorised model is trained once for every test class that uses it.
[CollectionDefinition(Name)]
public sealed class TinyUnlearningCollection : ICollectionFixture<TinyUnlearningSetup>
{
    public const string Name = "tiny unlearning model";
}
