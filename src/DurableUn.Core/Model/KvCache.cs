using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// Keys and values of every layer seen so far, each (B, kv_heads, T_past, hd). With a capacity (what generation
/// knows up front: prompt + new tokens) each layer's buffers are allocated once, on the first append, and every
/// step writes its slot in place; without one they grow by concatenation (the reference decoder's cache).
/// The cache owns its tensors (they live outside any dispose scope) and frees them on <see cref="Dispose"/>.
/// Not: a ring buffer or eviction; a sequence longer than the capacity is an error.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private readonly long? _capacity;
    private readonly long[] _lengths;

    /// <param name="capacity">Tokens to preallocate per layer; null grows by concatenation.</param>
    public KvCache(int layers, long? capacity = null)
    {
        if (capacity is < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a KV cache capacity must be ≥ 1");
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
        _lengths = new long[layers];
        _capacity = capacity;
    }

    /// <summary>Tokens already cached (0 before the first forward).</summary>
    public long Length => _lengths[0];

    /// <summary>Forgets every token after the first <paramref name="length"/> (a preallocated cache only; the next append
    /// overwrites their slots): replays one decode step at the same position, as a benchmark does.</summary>
    public void Rewind(long length)
    {
        if (_capacity is null) throw new InvalidOperationException("only a preallocated KV cache can be rewound");
        if (length < 0 || length > Length) throw new ArgumentOutOfRangeException(nameof(length), length, $"a KV cache of {Length} tokens rewinds to 0..{Length}");
        Array.Fill(_lengths, length);
    }

    /// <summary>Appends this step's keys/values for <paramref name="layer"/> and returns the full sequences (views).</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var t = keys.shape[2];
        var total = _lengths[layer] + t;
        if (_capacity is { } capacity)
        {
            if (total > capacity) throw new InvalidOperationException($"KV cache of {capacity} tokens is full (layer {layer} needs {total})");
            _keys[layer] ??= Buffer(keys, capacity);
            _values[layer] ??= Buffer(values, capacity);
            _keys[layer]!.narrow(2, _lengths[layer], t).copy_(keys);                   // (B, nkv, t, hd) written in place
            _values[layer]!.narrow(2, _lengths[layer], t).copy_(values);
            _lengths[layer] = total;
            return (_keys[layer]!.narrow(2, 0, total), _values[layer]!.narrow(2, 0, total)); // (B, nkv, T_total, hd)
        }
        var k = _keys[layer] is { } pk ? cat([pk, keys], 2) : keys.alias();
        var v = _values[layer] is { } pv ? cat([pv, values], 2) : values.alias();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = k.DetachFromDisposeScope();
        _values[layer] = v.DetachFromDisposeScope();
        _lengths[layer] = total;
        return (k.alias(), v.alias());
    }

    private static Tensor Buffer(Tensor like, long capacity) =>
        empty([like.shape[0], like.shape[1], capacity, like.shape[3]], dtype: like.dtype).DetachFromDisposeScope(); // (B, nkv, cap, hd)

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t?.Dispose();
        Array.Clear(_keys);
        Array.Clear(_values);
        Array.Clear(_lengths);
    }
}
