using System.Text;
using DurableUn.Checkpoints.Gguf;
using LLama;
using LLama.Common;
using LLama.Native;

namespace DurableUn.LlamaCpp;

/// <summary>
/// A GGUF file loaded by llama.cpp in-process (LLamaSharp): the file's own tokenizer and llama.cpp's forward pass.
/// The file's header and tensor table are checked by our reader (<see cref="GgufFile"/>) before llama.cpp sees it,
/// so a corrupt or truncated file fails as one <see cref="GgufFormatException"/> line instead of a native abort.
/// Inference (<see cref="LlamaCppInference"/>) opens contexts on it; the model itself is read-only.
/// Not: GPU offload; not: a chat template (prompts are given as text or ids).
/// </summary>
public sealed class LlamaCppModel : IDisposable
{
    private LlamaCppModel(string path, GgufFile file, LLamaWeights weights, int threads)
    {
        Path = path;
        File = file;
        Weights = weights;
        Threads = threads;
        EndOfGeneration = Enumerable.Range(0, weights.Vocab.Count)
            .Where(id => ((LLamaToken)id).IsEndOfGeneration(weights.Vocab)).ToHashSet();
    }

    public string Path { get; }

    /// <summary>The file as our reader sees it (metadata, tensor types).</summary>
    public GgufFile File { get; }

    internal LLamaWeights Weights { get; }

    /// <summary>Threads llama.cpp computes with.</summary>
    public int Threads { get; }

    public int VocabSize => Weights.Vocab.Count;

    /// <summary>The longest sequence the file was trained for (llama.context_length).</summary>
    public int TrainedContext => Weights.ContextSize;

    /// <summary>BOS id, or null when the vocabulary has none.</summary>
    public int? BosId => Weights.Vocab.BOS is { } b ? (int)b : null;

    /// <summary>Whether the file asks for BOS before a prompt (tokenizer.ggml.add_bos_token).</summary>
    public bool AddsBos => Weights.Vocab.ShouldAddBOS;

    public int? EosId => Weights.Vocab.EOS is { } e ? (int)e : null;

    /// <summary>End-of-turn id (llama.cpp's eot: tokenizer.ggml.eot_token_id, or a token such as &lt;|eot_id|&gt; found by text), or null.</summary>
    public int? EotId => Weights.Vocab.EOT is { } e ? (int)e : null;

    /// <summary>Tokens that end a generation in llama.cpp's view (EOS, EOT and the like).</summary>
    public IReadOnlySet<int> EndOfGeneration { get; }

    /// <param name="threads">Compute threads; default: DURABLEUN_THREADS when set, else the core count.</param>
    public static LlamaCppModel Load(string path, int? threads = null)
    {
        var file = GgufFile.Read(path);   // throws GgufFormatException naming the file and what is wrong
        if (file.Find("general.architecture")?.Value is not string)
            throw new GgufFormatException(GgufErrorKind.BadValueType, path, "no general.architecture string; llama.cpp cannot tell which model this is");
        LlamaCppRuntime.EnsureConfigured();
        var n = threads ?? DefaultThreads();
        var parameters = new ModelParams(path) { GpuLayerCount = 0, Threads = n, BatchThreads = n };
        LLamaWeights weights;
        var mark = LlamaCppRuntime.Mark();
        try { weights = LLamaWeights.LoadFromFile(parameters); }
        catch (Exception e) when (e is LLama.Exceptions.LoadWeightsFailedException or LLama.Exceptions.RuntimeError)
        {
            throw new InvalidDataException($"{path}: llama.cpp could not load the model: {FirstWords(mark)}", e);
        }
        return new LlamaCppModel(path, file, weights, n);
    }

    /// <summary>The file's tokenizer on text: no BOS, special-token text left as text (as our tokenizers encode).</summary>
    public int[] Tokenize(string text) =>
        text.Length == 0 ? [] : Weights.NativeHandle.Tokenize(text, false, false, Encoding.UTF8).Select(t => (int)t).ToArray();

    /// <summary>Text of the ids, special tokens rendered as nothing (as our decode skips them).</summary>
    public string Detokenize(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        Span<byte> piece = stackalloc byte[256];
        foreach (var id in ids)
        {
            var n = NativeApi.llama_token_to_piece(Weights.Vocab, id, piece, 0, false);
            if (n < 0) throw new InvalidOperationException($"{Path}: token {id} has a piece over {piece.Length} bytes");
            bytes.AddRange(piece[..n].ToArray());
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>A string value of the file's metadata, or null.</summary>
    public string? Metadata(string key) => File.Find(key)?.Value as string;

    /// <summary>The first warning or error llama.cpp logged since the mark (the cause; later lines report the failure
    /// it led to), or a note that it logged none.</summary>
    internal static string FirstWords(long mark) =>
        LlamaCppRuntime.WarningsSince(mark) is { Count: > 0 } lines ? lines[0] : "llama.cpp logged no reason";

    /// <summary>DURABLEUN_THREADS when set (a shard's share of the cores), else the core count.</summary>
    internal static int DefaultThreads() =>
        Environment.GetEnvironmentVariable(Tensors.NativeTorch.ThreadsVariable) is { Length: > 0 } text && int.TryParse(text, out var t) && t > 0
            ? t : Environment.ProcessorCount;

    public void Dispose() => Weights.Dispose();
}
