namespace DurableUn.Data;

/// <summary>
/// How a question and its answer become text for a causal LM (docs/benchmarks.md#prompt-templates): the prompt (masked
/// from the loss) and the completion (scored). A closed set: <see cref="Plain"/> (MUSE/OU tag style
/// "Question: {q}\nAnswer: ") and <see cref="Llama3Chat"/> (Llama-3 Instruct chat template with a system prompt).
/// Llama3Chat's text contains its special tokens as strings (&lt;|begin_of_text|&gt;, &lt;|eot_id|&gt;); Plain's
/// completion has no end marker, so the caller appends the tokenizer's EOS, as ITokenizer asks.
/// Not: tokenization or label masking, and not OU's Llama-3.1 date header.
/// </summary>
public abstract record PromptTemplate
{
    private PromptTemplate() { }

    /// The text before the answer.
    public abstract string Prompt(string question);

    /// The answer as it follows the prompt, with the template's end-of-turn marker when it has one.
    public abstract string Completion(string answer);

    public string Full(string question, string answer) => Prompt(question) + Completion(answer);

    public sealed record Plain : PromptTemplate
    {
        /// The end of every plain prompt: the answer follows it, encoded apart (<see cref="Tokenized.QaEncoder"/>).
        public const string AnswerCue = "\nAnswer: ";

        public override string Prompt(string question) => $"Question: {question}{AnswerCue}";
        public override string Completion(string answer) => answer;
    }

    /// OU's Llama-3 configs use "You are a helpful assistant." as the system prompt.
    public sealed record Llama3Chat(string SystemPrompt = "You are a helpful assistant.") : PromptTemplate
    {
        public override string Prompt(string question) =>
            $"<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{SystemPrompt}<|eot_id|>" +
            $"<|start_header_id|>user<|end_header_id|>\n\n{question}<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\n";

        public override string Completion(string answer) => answer + "<|eot_id|>";
    }
}
