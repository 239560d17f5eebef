namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// One typed GGUF metadata value. Scalars hold the matching .NET value (uint for UInt32, float for Float32, string,
/// bool, ...); arrays hold a .NET array of the item type (string[], int[], float[], ...) and name that type in
/// <see cref="ItemType"/>. The factories are the only way to build one, so type tag and value always agree.
/// Not: arrays of arrays (the format allows them; nothing llama.cpp reads for a llama model uses them).
/// </summary>
public sealed class GgufValue
{
    private GgufValue(GgufValueType type, object value, GgufValueType? itemType = null)
    {
        Type = type;
        Value = value;
        ItemType = itemType;
    }

    public GgufValueType Type { get; }
    /// <summary>The item type of an array; null for scalars.</summary>
    public GgufValueType? ItemType { get; }
    public object Value { get; }

    public static GgufValue UInt8(byte v) => new(GgufValueType.UInt8, v);
    public static GgufValue Int8(sbyte v) => new(GgufValueType.Int8, v);
    public static GgufValue UInt16(ushort v) => new(GgufValueType.UInt16, v);
    public static GgufValue Int16(short v) => new(GgufValueType.Int16, v);
    public static GgufValue UInt32(uint v) => new(GgufValueType.UInt32, v);
    public static GgufValue Int32(int v) => new(GgufValueType.Int32, v);
    public static GgufValue Float32(float v) => new(GgufValueType.Float32, v);
    public static GgufValue Bool(bool v) => new(GgufValueType.Bool, v);
    public static GgufValue String(string v) => new(GgufValueType.String, v);
    public static GgufValue UInt64(ulong v) => new(GgufValueType.UInt64, v);
    public static GgufValue Int64(long v) => new(GgufValueType.Int64, v);
    public static GgufValue Float64(double v) => new(GgufValueType.Float64, v);

    /// <summary>An array of scalars of <paramref name="itemType"/>; the items must have its .NET type.</summary>
    public static GgufValue Array(GgufValueType itemType, System.Array items)
    {
        if (itemType == GgufValueType.Array) throw new ArgumentException("arrays of arrays are not supported", nameof(itemType));
        var expected = ClrType(itemType);
        if (items.GetType().GetElementType() != expected)
            throw new ArgumentException($"a GGUF {itemType} array needs a {expected.Name}[], got {items.GetType().Name}", nameof(items));
        return new(GgufValueType.Array, items, itemType);
    }

    public static GgufValue Strings(IEnumerable<string> items) => Array(GgufValueType.String, items.ToArray());
    public static GgufValue Int32s(IEnumerable<int> items) => Array(GgufValueType.Int32, items.ToArray());
    public static GgufValue Float32s(IEnumerable<float> items) => Array(GgufValueType.Float32, items.ToArray());

    /// <summary>The value as <typeparamref name="T"/>; throws naming both types when it is another.</summary>
    public T As<T>() => Value is T v ? v : throw new InvalidCastException($"GGUF value of type {Type} is a {Value.GetType().Name}, not a {typeof(T).Name}");

    /// <summary>The .NET type that holds a scalar of <paramref name="type"/>.</summary>
    public static Type ClrType(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => typeof(byte),
        GgufValueType.Int8 => typeof(sbyte),
        GgufValueType.UInt16 => typeof(ushort),
        GgufValueType.Int16 => typeof(short),
        GgufValueType.UInt32 => typeof(uint),
        GgufValueType.Int32 => typeof(int),
        GgufValueType.Float32 => typeof(float),
        GgufValueType.Bool => typeof(bool),
        GgufValueType.String => typeof(string),
        GgufValueType.UInt64 => typeof(ulong),
        GgufValueType.Int64 => typeof(long),
        GgufValueType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a scalar GGUF value type"),
    };

    public override string ToString() => Value is System.Array a ? $"{ItemType}[{a.Length}]" : $"{Type} {Value}";
}
