namespace DurableUn.Runs;

/// <summary>What a measured model is to its study: a reference made by fine-tuning, or the output of unlearning.</summary>
public enum ModelRole
{
    /// <summary>Fine-tuned on forget ∪ retain: the model before unlearning.</summary>
    Target,
    /// <summary>Fine-tuned on retain only: never saw the forget set, so its FA is the floor.</summary>
    Retain,
    /// <summary>The target after an unlearning method.</summary>
    Unlearned,
}
