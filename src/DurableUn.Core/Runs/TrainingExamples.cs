using DurableUn.Data.Tokenized;

namespace DurableUn.Runs;

/// <summary>Which part of a task a fine-tune sees: the target learns forget ∪ retain, the retain model retain only.</summary>
public enum FinetuneSplit { Full, Retain }

/// <summary>
/// The encoded examples of a fine-tune: QA pairs under the prompt template plus raw texts chunked MUSE-style.
/// Raw-text chunks are capped at 128 tokens: tiny models train on short sequences, and every benchmark text of the
/// synthetic presets is shorter than a few such chunks.
/// </summary>
public static class TrainingExamples
{
    public const int TextChunkTokens = 128;

    public static IReadOnlyList<EncodedExample> For(UnlearningTask task, FinetuneSplit split, QaEncoder encoder, bool includeTexts = true)
    {
        var qa = split == FinetuneSplit.Full ? task.Forget.Concat(task.Retain) : task.Retain;
        var texts = !includeTexts ? [] : split == FinetuneSplit.Full ? task.ForgetTexts.Concat(task.RetainTexts) : task.RetainTexts;
        return qa.Select(i => encoder.Encode(i.Question, i.Answer))
            .Concat(texts.SelectMany(t => TextChunker.Chunk(encoder.Tokenizer, [t], TextChunkTokens)))
            .ToList();
    }
}
