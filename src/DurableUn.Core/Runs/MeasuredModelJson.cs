using DurableUn.IO;

namespace DurableUn.Runs;

/// <summary>A <see cref="MeasuredModel"/> by its stored text; a name that is neither a reference nor a catalog method fails.</summary>
public sealed class MeasuredModelJson() : ByNameJson<MeasuredModel>("method", MeasuredModel.Parse, m => m.Name);
