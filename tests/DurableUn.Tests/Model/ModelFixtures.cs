using DurableUn.Model;

namespace DurableUn.Tests.Model;

/// <summary>Tiny configurations shared by the model tests: small enough to run in milliseconds.</summary>
internal static class ModelFixtures
{
    /// 2 layers, d 16, 4 query heads over 2 key/value heads (so grouped-query attention is exercised).
    public static LlamaConfig Tiny(bool tied = false, RopeScaling? scaling = null) => new()
    {
        VocabSize = 32,
        HiddenSize = 16,
        IntermediateSize = 40,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 64,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        RopeScaling = scaling,
        TieWordEmbeddings = tied,
        EosTokenIds = [2],
        BosTokenId = 1,
        PadTokenId = 0,
    };
}
