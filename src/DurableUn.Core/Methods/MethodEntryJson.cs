using DurableUn.IO;

namespace DurableUn.Methods;

/// <summary>A <see cref="MethodEntry"/> by its catalog name (<c>"npo-gdr"</c>); an unknown name fails listing the catalog.</summary>
public sealed class MethodEntryJson() : ByNameJson<MethodEntry>("method", MethodCatalog.Find, m => m.Name)
{
    /// <summary>The entry of that name, or a JsonException listing the catalog (for lists of names).</summary>
    public static MethodEntry Find(string name) => new MethodEntryJson().Parse(name);
}
