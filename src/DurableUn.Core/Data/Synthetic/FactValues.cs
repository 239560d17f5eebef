using DurableUn.Randomness;

namespace DurableUn.Data.Synthetic;

/// A drawn fact value with the parts it was joined from (kept for near misses).
internal sealed record FactValue(string Text, string[] Parts, ValueShape Shape);

/// <summary>
/// Draws fact values and guarantees that no value is given to two entities of one dataset: every fresh value is
/// recorded, and later draws skip it. That is what keeps forgetting well defined: an author's birthplace or
/// book title appears in no retain item, so a model can drop it without being taught it again by the retain set.
/// Distractors (perturbed answers) are drawn here too, never equal to the true value.
/// Not: uniqueness across datasets or seeds (each dataset has its own registry).
/// </summary>
internal sealed class FactValues(SeededRng rng)
{
    // Bounded retries: a preset larger than the lexicon allows fails loudly instead of looping.
    private const int MaxAttempts = 10_000;

    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// A value no entity of this dataset has; it is now taken.
    public FactValue Fresh(ValueShape shape)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var parts = shape.Parts.Select(p => p(rng)).ToArray();
            var text = shape.Render(parts);
            if (_taken.Add(text)) return new FactValue(text, parts, shape);
        }
        throw new InvalidOperationException($"ran out of distinct {shape.Name} values; the lexicon is too small for this preset");
    }

    /// <paramref name="count"/> distinct wrong values: other entities' values of the same fact when
    /// <paramref name="nearMiss"/> is false (plausible, no new words), otherwise the true value with one part redrawn.
    /// Falls back to new, unrecorded values when there are too few others.
    public IReadOnlyList<string> Distractors(FactValue truth, IReadOnlyList<FactValue> others, int count, bool nearMiss)
    {
        var chosen = new List<string>();
        if (!nearMiss)
            foreach (var other in rng.Shuffled(others))
                if (chosen.Count < count && other.Text != truth.Text && !chosen.Contains(other.Text))
                    chosen.Add(other.Text);
        for (var attempt = 0; chosen.Count < count; attempt++)
        {
            if (attempt == MaxAttempts)
                throw new InvalidOperationException($"could not draw {count} distinct {truth.Shape.Name} distractors");
            var parts = (string[])truth.Parts.Clone();
            if (nearMiss)
            {
                var i = rng.Next(parts.Length);
                parts[i] = truth.Shape.Parts[i](rng);
            }
            else
            {
                parts = truth.Shape.Parts.Select(p => p(rng)).ToArray();
            }
            var text = truth.Shape.Render(parts);
            if (text != truth.Text && !chosen.Contains(text) && (nearMiss || !_taken.Contains(text))) chosen.Add(text);
        }
        return chosen;
    }
}
