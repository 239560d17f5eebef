namespace DurableUn.Tokenization;

/// <summary>
/// The Llama-3 instruct chat template for one user turn, as in Meta's tokenizer_config.json chat_template with
/// add_generation_prompt=True: header tokens around each role, "\n\n" after each header, &lt;|eot_id|&gt; after
/// each message. The answer that follows the prompt ends with &lt;|eot_id|&gt; (the EOS of instruct models).
/// Not: multi-turn conversations, tool calls, the date line that Llama-3.1's template adds.
/// </summary>
public static class ChatTemplate
{
    public const string BeginOfText = "<|begin_of_text|>";
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurn = "<|eot_id|>";

    /// <summary>The text before the assistant's answer; <paramref name="system"/> null omits the system turn.</summary>
    public static string Prompt(string user, string? system) =>
        BeginOfText
        + (system is null ? "" : Turn("system", system))
        + Turn("user", user)
        + $"{StartHeader}assistant{EndHeader}\n\n";

    private static string Turn(string role, string content) => $"{StartHeader}{role}{EndHeader}\n\n{content.Trim()}{EndOfTurn}";
}
