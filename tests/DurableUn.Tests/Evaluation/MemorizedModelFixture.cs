using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Model;
using DurableUn.Tensors;
using DurableUn.Tests.Model;
using DurableUn.Tokenization;
using DurableUn.Training;
using static TorchSharp.torch;

namespace DurableUn.Tests.Evaluation;

/// <summary>A tiny dense model trained until it reproduces four QA pairs, plus two pairs it never saw.</summary>
public sealed class MemorizedModelFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-mem-").FullName;

    public MemorizedModelFixture()
    {
        NativeTorch.EnsureLoaded();
        Seen =
        [
            new QaItem("Where was Ada Vell born?", "Ada Vell was born in Qarston.", new KeyFact("Qarston", 21, 28)),
            new QaItem("What does Ada Vell write?", "Ada Vell writes sea poems.", new KeyFact("sea poems", 16, 25)),
            new QaItem("Where was Bo Ren born?", "Bo Ren was born in Lemaria.", new KeyFact("Lemaria", 19, 26)),
            new QaItem("What does Bo Ren write?", "Bo Ren writes war novels.", new KeyFact("war novels", 14, 24)),
        ];
        Unseen =
        [
            new QaItem("Where was Cy Oru born?", "Cy Oru was born in Tavelin.", new KeyFact("Tavelin", 19, 26)),
            new QaItem("What does Cy Oru write?", "Cy Oru writes love songs.", new KeyFact("love songs", 14, 24)),
        ];
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, WordLevelTokenizerBuilder.Build(Seen.Concat(Unseen).SelectMany(i => i.Texts()).Append("Question: Answer:")));
        Tokenizer = HfTokenizer.Load(path, SpecialTokens.Llama3);
        Encoder = new QaEncoder(Tokenizer, new PromptTemplate.Plain());
        manual_seed(11);
        Model = new CausalLm(ModelFixtures.Tiny() with { VocabSize = Tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64 }, new DenseProjections());
        using var batch = TokenBatch.RightPadded(Seen.Select(i => Encoder.Encode(i.Question, i.Answer)).ToList(), Tokenizer.PadId);
        Trainer.Run(Model.parameters().ToList(), (_, _) => TokenLosses.Of(Model, batch).Mean(),
            new TrainingOptions { Steps = 150, LearningRate = 1e-2, MaxGradNorm = 1.0 });
    }

    public IReadOnlyList<QaItem> Seen { get; }
    public IReadOnlyList<QaItem> Unseen { get; }
    public HfTokenizer Tokenizer { get; }
    public QaEncoder Encoder { get; }
    public CausalLm Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        Tokenizer.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
