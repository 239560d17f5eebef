using DurableUn.Checkpoints.Gguf;
using DurableUn.LlamaCpp;
using DurableUn.Tests.Checkpoints;
using DurableUn.Tests.Checkpoints.Gguf;
using DurableUn.Tokenization;

namespace DurableUn.Tests.LlamaCpp;

/// <summary>llama.cpp in-process (LLamaSharp) on files our exporter wrote: a bad file is refused by our reader before
/// llama.cpp reads it, and the file's own tokenizer gives the product's ids. Needs nothing but the .NET SDK.</summary>
public sealed class LlamaCppModelTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Exported(string name = "model.gguf")
    {
        var (tokenizer, vocab) = GgufFixtures.Tokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab);
        var gguf = _dir.File(name);
        GgufExport.Write(gguf, config, GgufFixtures.Weights(config), tokenizer, GgufType.F32);
        return gguf;
    }

    [Fact]
    public void A_Truncated_Gguf_Is_Refused_With_One_Line_Naming_The_File_Before_LlamaCpp_Reads_It()
    {
        // Given an exported file cut off in its tensor data
        var bytes = File.ReadAllBytes(Exported());
        var cut = _dir.File("cut.gguf");
        File.WriteAllBytes(cut, bytes[..(bytes.Length * 2 / 3)]);
        // When it is loaded or quantized
        var load = Assert.Throws<GgufFormatException>(() => LlamaCppModel.Load(cut));
        var quantize = Assert.Throws<GgufFormatException>(() => LlamaCppQuantizer.Quantize(cut, _dir.File("q.gguf"), LlamaFileType.Q8_0));
        // Then each is one line that names the file and says it is truncated, and nothing is written
        foreach (var e in new[] { load, quantize })
        {
            Assert.Equal(GgufErrorKind.Truncated, e.Kind);
            Assert.Contains(cut, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        Assert.False(File.Exists(_dir.File("q.gguf")));
    }

    [Fact]
    public void A_Gguf_With_A_Corrupt_Tensor_Type_Is_Refused_With_One_Line()
    {
        // Given an exported file whose first tensor's type id is overwritten with 99 (no ggml type)
        var path = Exported();
        var file = GgufFile.Read(path);
        var bytes = File.ReadAllBytes(path);
        var name = System.Text.Encoding.UTF8.GetBytes(file.Tensors[0].Name);
        var at = bytes.AsSpan().IndexOf(name) + name.Length + 4 + 8 * file.Tensors[0].Dims.Count;   // after name, n_dims, dims
        BitConverter.GetBytes(99u).CopyTo(bytes, at);
        var bad = _dir.File("bad.gguf");
        File.WriteAllBytes(bad, bytes);
        // When llama.cpp is asked to load it, then our reader refuses it first
        var e = Assert.Throws<GgufFormatException>(() => LlamaCppModel.Load(bad));
        Assert.Equal(GgufErrorKind.BadTensorInfo, e.Kind);
        Assert.Contains("99", e.Message);
    }

    [Fact]
    public void A_Well_Formed_Gguf_LlamaCpp_Refuses_Is_One_Line_With_LlamaCpps_Reason_Not_A_Crash()
    {
        // Given an exported file rewritten without llama.block_count (its header and tensor table stay valid)
        var file = GgufFile.Read(Exported());
        var metadata = file.Metadata.Where(kv => kv.Key != "llama.block_count").ToList();
        var tensors = file.Tensors.Select(t => new GgufTensorData(t.Name, t.Dims.ToArray(), t.Type, s => s.Write(file.ReadBytes(t)))).ToList();
        var broken = _dir.File("no-blocks.gguf");
        using (var stream = File.Create(broken)) GgufWriter.Write(stream, metadata, tensors);
        Assert.Equal(file.Tensors.Count, GgufFile.Read(broken).Tensors.Count);
        // When llama.cpp is asked to load it, then the failure is one line naming the file and llama.cpp's reason
        var e = Assert.Throws<InvalidDataException>(() => LlamaCppModel.Load(broken));
        Assert.Contains(broken, e.Message);
        Assert.Contains("block_count", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void LlamaCpp_Tokenizes_Real_Looking_Questions_To_The_Products_Bpe_Ids_In_Process()
    {
        // Given an exported model whose tokenizer is the presets' byte-level BPE, trained on a few sentences
        var (gguf, tokenizerPath) = GgufFixtures.BpeF32(_dir.Path);
        using var hf = HfTokenizer.Load(tokenizerPath, SpecialTokens.Llama3);
        using var model = LlamaCppModel.Load(gguf);
        var file = new LlamaCppTokenizer(model);
        // Then the file's tokenizer has the product's specials
        Assert.Equal(hf.BosId, file.BosId);
        Assert.Equal(hf.EosId, file.EosId);
        Assert.Equal(hf.VocabSize, file.VocabSize);
        foreach (var text in new[]
                 {
                     "What is the full name of the author born in Taipei, Taiwan on 05/11/1991?",
                     "Why didn't the cat eat?  It's 3.5 km away.\n\nÜber café naïve — 日本語 🐈‍⬛!",
                 })
        {
            // When llama.cpp tokenizes text, most of whose words it never saw, then it gives the product's ids and text
            var ids = file.Encode(text);
            Assert.Equal(hf.Encode(text), ids);
            Assert.Equal(text, file.Decode(ids));
        }
    }
}
