namespace DurableUn.Methods;

/// <summary>
/// What every method's options record has: the keys the unlearning loop reads (lr, steps, batch_size) and a
/// validation that names the offending key. Records implement it with plain init properties, whose snake_case names
/// are the <c>--set</c> keys (<see cref="MethodSettings"/>).
/// </summary>
public interface IMethodOptions
{
    /// Peak learning rate of AdamW.
    double Lr { get; }
    /// Optimizer steps.
    int Steps { get; }
    /// Forget examples per step (each paired with one retain example).
    int BatchSize { get; }
    /// <summary>These options with another lr, steps and batch_size (the study's calibration ladder sets them).</summary>
    IMethodOptions WithSchedule(double lr, int steps, int batchSize);
    /// <summary>These options as the method starts in <paramref name="pipeline"/> (default: unchanged; SAF rounds what
    /// that pipeline ships). The study, sweep and unlearn command apply it before any <c>--set</c>.</summary>
    IMethodOptions ForPipeline(Pipelines.Pipeline pipeline) => this;
    /// <summary>Throws <see cref="ArgumentException"/> naming the key when these options cannot run in
    /// <paramref name="pipeline"/> (default: every option runs everywhere), so the CLI refuses before any work.</summary>
    void CheckPipeline(Pipelines.Pipeline pipeline) { }
    /// <summary>Throws <see cref="ArgumentException"/> whose ParamName is the first invalid key.</summary>
    void Validate();
    /// <summary>The <c>--set</c> assignments with keys this record once had rewritten into today's, so older command
    /// lines and sweep files keep working (default: unchanged).</summary>
    IReadOnlyList<string> Upgrade(IReadOnlyList<string> assignments) => assignments;
}

/// <summary>The checks options records share; each message names the key and the bad value.</summary>
public static class OptionChecks
{
    /// lr ≥ 0 and finite, steps ≥ 0, batch_size ≥ 1.
    public static void Common(IMethodOptions o)
    {
        NonNegative(o.Lr, "lr");
        if (o.Steps < 0) throw Bad("steps", o.Steps, "must be ≥ 0");
        if (o.BatchSize < 1) throw Bad("batch_size", o.BatchSize, "must be ≥ 1");
    }

    public static void Positive(double value, string key)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw Bad(key, value, "must be > 0 and finite");
    }

    public static void NonNegative(double value, string key)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw Bad(key, value, "must be ≥ 0 and finite");
    }

    /// A fraction in (0, 1].
    public static void Fraction(double value, string key)
    {
        if (!(value > 0 && value <= 1)) throw Bad(key, value, "must be in (0, 1]");
    }

    public static ArgumentException Bad(string key, object value, string rule) =>
        new($"{key} {rule}, got {value}", key);
}
