namespace DurableUn.Adapters;

/// <summary>
/// The Llama projections a LoRA can target, under PEFT's module names, and the "all-linear" shorthand (PEFT expands it to
/// every linear layer except the output layer, tuners/tuners_utils.py). Names are exact: "q" or "Q_PROJ" is an error
/// listing the valid names, never a guess. Not: regex targets, layers_to_transform.
/// </summary>
public static class LoraTargets
{
    public const string AllLinear = "all-linear";

    /// <summary>The seven projections of a Llama block, in module order.</summary>
    public static IReadOnlyList<string> Projections { get; } =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>"all-linear" → all seven; otherwise the listed names, each checked.</summary>
    public static IReadOnlySet<string> Resolve(IReadOnlyList<string> targets)
    {
        if (targets.Count == 0) throw new ArgumentException("lora target_modules is empty; name at least one projection or \"all-linear\"");
        if (targets.Contains(AllLinear))
            return targets.Count == 1 ? Projections.ToHashSet(StringComparer.Ordinal)
                : throw new ArgumentException("lora target_modules: \"all-linear\" cannot be combined with other names");
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            if (!Projections.Contains(t))
                throw new ArgumentException($"lora target_modules: unknown module \"{t}\"; valid: {string.Join(", ", Projections)} or \"{AllLinear}\"");
            if (!set.Add(t)) throw new ArgumentException($"lora target_modules: \"{t}\" is listed twice");
        }
        return set;
    }

    /// <summary>The module name of a projection path: <c>model.layers.0.self_attn.q_proj</c> → <c>q_proj</c>.</summary>
    public static string ModuleName(string path) => path[(path.LastIndexOf('.') + 1)..];
}
