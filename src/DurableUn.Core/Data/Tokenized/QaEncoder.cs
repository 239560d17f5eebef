using DurableUn.Tokenization;

namespace DurableUn.Data.Tokenized;

/// <summary>
/// Turns (question, answer) into an <see cref="EncodedExample"/> under a <see cref="PromptTemplate"/>.
/// Plain template: BOS + "Question: …\nAnswer: " is the prompt and answer + EOS the completion (open-unlearning
/// appends EOS when missing). Llama-3 chat: the template's own text carries &lt;|begin_of_text|&gt; and the closing
/// &lt;|eot_id|&gt;, which the tokenizer maps to their special ids. Prompt and completion are encoded separately so
/// the boundary is exact even for BPE tokenizers. Over-long examples keep the prompt and cut the completion's end
/// (its EOS is kept), as a generation would be cut.
/// Not: raw-text chunking (<see cref="TextChunker"/>), padding (<see cref="TokenBatch"/>).
/// </summary>
public sealed class QaEncoder(ITokenizer tokenizer, PromptTemplate template, int maxLength = 512)
{
    public ITokenizer Tokenizer => tokenizer;
    public PromptTemplate Template => template;

    public int[] EncodePrompt(string question) =>
        template is PromptTemplate.Plain && tokenizer.BosId is int bos
            ? [bos, .. tokenizer.Encode(template.Prompt(question))]
            : [.. tokenizer.Encode(template.Prompt(question))];

    public EncodedExample Encode(string question, string answer)
    {
        var prompt = EncodePrompt(question);
        int[] completion = template is PromptTemplate.Plain
            ? [.. tokenizer.Encode(template.Completion(answer)), tokenizer.EosId]
            : [.. tokenizer.Encode(template.Completion(answer))];
        var room = maxLength - prompt.Length;
        if (room < 1) throw new ArgumentException($"the prompt of \"{Shorten(question)}\" has {prompt.Length} tokens, more than max_length {maxLength}");
        if (completion.Length > room) completion = [.. completion[..(room - 1)], completion[^1]];
        return new EncodedExample(prompt, completion);
    }

    /// <summary>
    /// Every item's prompt and answer fit a model context of <paramref name="context"/> tokens; the first that does
    /// not is an error naming <paramref name="file"/>, its row and its length, raised before any model runs on it.
    /// </summary>
    public void CheckFits(IReadOnlyList<QaItem> items, string file, int context)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var prompt = EncodePrompt(items[i].Question).Length;
            var total = prompt + tokenizer.Encode(template.Completion(items[i].Answer)).Count + 1;
            if (total > context)
                throw new DataFormatException(file, i, prompt >= context ? "question" : "answer",
                    $"question and answer are {total} tokens, longer than the model's context of {context} tokens (max_position_embeddings)");
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
