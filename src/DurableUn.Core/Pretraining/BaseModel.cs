namespace DurableUn.Pretraining;

/// <summary>What a study's NF4 base is.</summary>
public enum BaseModel
{
    /// The preset pretrained on general synthetic text (<see cref="PresetBase"/>): the adapters only add the facts,
    /// as in the QLoRA regime of the paper. The default.
    Pretrained,
    /// The freshly initialised preset (random weights): the adapter must carry all of the language. The old regime.
    Random,
}
