using System.ComponentModel;
using System.Globalization;

namespace DurableUn.Cli.Values;

/// <summary>
/// The grammar of every number on the command line: invariant-culture digits, non-negative and finite. No option of
/// this tool takes a negative count, seed, rate or bound, and ∞ or NaN bounds nothing; each option's own range (≥ 1,
/// ≤ 1, ...) is then checked by its command's Validate. <see cref="Register"/> makes these the converters of int, long,
/// ulong and double for the whole process, so a new numeric option gets the same refusal with nothing to declare.
/// </summary>
public static class NumberConverters
{
    private static int registered;

    /// <summary>Installs the converters (once; the composition root calls it before parsing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        TypeDescriptor.AddAttributes(typeof(int), new TypeConverterAttribute(typeof(Int32Number)));
        TypeDescriptor.AddAttributes(typeof(long), new TypeConverterAttribute(typeof(Int64Number)));
        TypeDescriptor.AddAttributes(typeof(ulong), new TypeConverterAttribute(typeof(UInt64Number)));
        TypeDescriptor.AddAttributes(typeof(double), new TypeConverterAttribute(typeof(FiniteNumber)));
    }

    /// <summary>A whole number ≥ 0 no larger than <paramref name="max"/>.</summary>
    internal static ulong Whole(string text, ulong max)
    {
        if (text.StartsWith('-') && ulong.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new OptionValueException($"must not be negative, got {text}");
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new OptionValueException($"\"{text}\" is not a whole number");
        return value <= max ? value : throw new OptionValueException($"{text} is too large (at most {max})");
    }

    internal static double Finite(string text)
    {
        if (text.TrimStart('+', '-').ToLowerInvariant() is "inf" or "infinity" or "∞" or "nan")
            throw new OptionValueException($"must be a finite number, got {text}");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new OptionValueException($"\"{text}\" is not a number");
        if (!double.IsFinite(value)) throw new OptionValueException($"must be a finite number, got {text}");
        return value >= 0 ? value : throw new OptionValueException($"must not be negative, got {text}");
    }

    /// <summary>Shared plumbing: text in, a typed value out; anything else is not convertible.</summary>
    public abstract class NumberConverter<T>(Func<string, T> parse) : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
            sourceType == typeof(string) || sourceType == typeof(T) || base.CanConvertFrom(context, sourceType);

        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => value switch
        {
            string text => parse(text.Trim()),
            T typed => typed,
            _ => base.ConvertFrom(context, culture, value),
        };
    }

    public sealed class Int32Number() : NumberConverter<int>(t => (int)Whole(t, int.MaxValue));
    public sealed class Int64Number() : NumberConverter<long>(t => (long)Whole(t, long.MaxValue));
    public sealed class UInt64Number() : NumberConverter<ulong>(t => Whole(t, ulong.MaxValue));
    public sealed class FiniteNumber() : NumberConverter<double>(Finite);
}
