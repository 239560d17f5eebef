namespace DurableUn.Data.Tokenized;

/// <summary>
/// One templated example as token ids: the prompt (never scored) and the completion (scored, ending with EOS).
/// Labels follow Hugging Face: −100 on prompt tokens, the token itself on completion tokens; the model's
/// logits at position t predict label t+1 (the shift happens in the losses).
/// </summary>
public sealed record EncodedExample(int[] PromptIds, int[] CompletionIds)
{
    public const int IgnoreIndex = -100;

    public int Length => PromptIds.Length + CompletionIds.Length;
    public int[] InputIds => [.. PromptIds, .. CompletionIds];
    public int[] Labels => [.. PromptIds.Select(_ => IgnoreIndex), .. CompletionIds];
}
