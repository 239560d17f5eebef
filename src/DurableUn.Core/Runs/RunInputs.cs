using DurableUn.IO;

namespace DurableUn.Runs;

/// <summary>What an unlearning run starts from: the base model, the data and the target adapter, each with its content hash.</summary>
public sealed record RunInputs(string BaseModel, string BaseSha256, string Data, string DataSha256, string TargetAdapter, string TargetAdapterSha256)
{
    /// <summary>The three folders as absolute paths, hashed now.</summary>
    public static RunInputs Hash(string baseModel, string data, string targetAdapter) => new(
        Path.GetFullPath(baseModel), ContentHash.OfFolder(baseModel),
        Path.GetFullPath(data), ContentHash.OfFolder(data),
        Path.GetFullPath(targetAdapter), ContentHash.OfFolder(targetAdapter));
}
