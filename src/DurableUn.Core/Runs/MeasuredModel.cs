using System.Text.Json.Serialization;
using DurableUn.Methods;

namespace DurableUn.Runs;

/// <summary>
/// The model a result row measures: the target or retain reference, or a model unlearned by a catalog method.
/// Stored as the row's "method" text ("target", "retain" or the method's catalog name, <see cref="MeasuredModelJson"/>),
/// as folders written before it was typed hold it. Sorts target first, unlearned methods by name, retain last.
/// </summary>
[JsonConverter(typeof(MeasuredModelJson))]
public sealed record MeasuredModel : IComparable<MeasuredModel>
{
    private MeasuredModel(ModelRole role, MethodEntry? method) => (Role, Method) = (role, method);

    public ModelRole Role { get; }

    /// <summary>The unlearning method; null for the target and retain references.</summary>
    public MethodEntry? Method { get; }

    public static MeasuredModel Target { get; } = new(ModelRole.Target, null);
    public static MeasuredModel Retain { get; } = new(ModelRole.Retain, null);
    public static MeasuredModel Unlearned(MethodEntry method) => new(ModelRole.Unlearned, method);

    /// <summary>A reference model (target or retain), not an unlearned one.</summary>
    public bool IsReference => Role != ModelRole.Unlearned;

    /// <summary>The stored text: "target", "retain", or the method's catalog name.</summary>
    public string Name => Method?.Name ?? Role.ToString().ToLowerInvariant();

    /// <summary>"target" and "retain" are the references; any other name must be a method of the catalog.</summary>
    public static MeasuredModel Parse(string name) =>
        name == Target.Name ? Target : name == Retain.Name ? Retain : Unlearned(MethodCatalog.Find(name));

    public int CompareTo(MeasuredModel? other) =>
        other is null ? 1 : Rank.CompareTo(other.Rank) is var byRole and not 0 ? byRole : string.CompareOrdinal(Name, other.Name);

    private int Rank => Role switch { ModelRole.Target => 0, ModelRole.Unlearned => 1, _ => 2 };

    public override string ToString() => Name;
}
