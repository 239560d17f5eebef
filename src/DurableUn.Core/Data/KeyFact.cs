namespace DurableUn.Data;

/// <summary>
/// The span of the fact an item is about, inside its answer: answer[Start..End] == Text. Synthetic data always
/// has one (fields key_fact, key_fact_start, key_fact_end); real benchmark files do not, so it is optional.
/// </summary>
public sealed record KeyFact(string Text, int Start, int End);
