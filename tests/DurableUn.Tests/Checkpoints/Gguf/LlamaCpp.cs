using System.Diagnostics;
using System.Text.Json;

namespace DurableUn.Tests.Checkpoints.Gguf;

/// <summary>
/// Runs llama.cpp through tools/llama-check (node-llama-cpp, pinned in its package-lock.json; the npm package ships
/// prebuilt linux-x64 CPU binaries, so nothing is downloaded or compiled at run time). Tests that call it are marked
/// [FactNeeds(Need.LlamaCpp)], so without node or node_modules they are skipped with the command that fixes it.
/// </summary>
internal static class LlamaCpp
{
    private static string ToolDir { get; } = Path.Combine(RepoRoot(), "tools", "llama-check");

    /// <summary>Next-token log-probabilities after the last id, from llama.cpp (null for probability 0).</summary>
    public static double?[] LogProbs(string gguf, IReadOnlyList<int> ids)
    {
        var json = Node("logits.mjs", gguf, string.Join(",", ids));
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("logprobs").EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray();
    }

    /// <summary>llama.cpp's token ids for <paramref name="text"/> (no BOS/EOS, specials not parsed).</summary>
    public static int[] Tokenize(string gguf, string text)
    {
        using var doc = JsonDocument.Parse(Node("tokenize.mjs", gguf, text));
        return doc.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    private static string Node(params string[] args)
    {
        if (!Directory.Exists(Path.Combine(ToolDir, "node_modules", "node-llama-cpp")))
            Assert.Fail($"llama.cpp check needs tools/llama-check/node_modules: run `npm ci --prefix tools/llama-check` (node ≥ 20) first");
        var start = new ProcessStartInfo("node") { WorkingDirectory = ToolDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        { throw new InvalidOperationException("llama.cpp check needs `node` (v20 or later) on PATH, then `npm ci --prefix tools/llama-check`", e); }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) Assert.Fail($"node {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
            return stdout;
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DurableUn.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no DurableUn.slnx above {AppContext.BaseDirectory}");
    }
}
