using System.Text.RegularExpressions;
using DurableUn.Tests.Prerequisites;

namespace DurableUn.Tests.Docs;

/// <summary>
/// Comments cite the repository's docs as docs/&lt;file&gt;.md#&lt;heading&gt;. A reader of a clone must be able to follow every
/// one: the file exists and has that heading (GitHub's anchor rule: lower case, punctuation dropped, spaces to
/// hyphens). Links between the docs are held to the same rule, and no comment may cite what a reader of the
/// repository does not have: the design and style notes that live outside it, or an issue by its number.
/// </summary>
public sealed partial class DocsCitationTests
{
    private static readonly string Root = Prerequisite.RepoRoot();
    private static readonly string[] CodeFolders = ["src", "tests", "bench", "scripts", "tools"];
    private static readonly string[] CodeExtensions = [".cs", ".py", ".sh"];

    /// Other projects' docs that comments also cite by path, without an anchor: open-unlearning's docs/repro.md and
    /// ggml's docs/gguf.md. Any other docs/ path must be ours.
    private static readonly string[] OutsideDocs = ["repro.md", "gguf.md"];

    [GeneratedRegex(@"docs/([A-Za-z0-9_\-]+\.md)(?:#([A-Za-z0-9_\-]+))?")]
    private static partial Regex CodeCitation();

    [GeneratedRegex(@"\]\(([A-Za-z0-9_\-]+\.md)(?:#([A-Za-z0-9_\-]+))?\)")]
    private static partial Regex DocsLink();

    /// The word issue followed by a number (with or without #): a reference only the tracker can resolve.
    [GeneratedRegex(@"\b[Ii]ssues?\s+#?\d")]
    private static partial Regex IssueNumber();

    [Fact]
    public void Every_Docs_Citation_In_The_Code_Names_An_Existing_File_And_Heading()
    {
        var citations = CodeFiles()
            .SelectMany(path => CodeCitation().Matches(File.ReadAllText(path))
                .Select(m => (Where: Path.GetRelativePath(Root, path), File: m.Groups[1].Value, Heading: m.Groups[2].Value)))
            .Where(c => c.Heading.Length > 0 || !OutsideDocs.Contains(c.File))
            .ToList();
        Assert.True(citations.Count >= 50, $"expected the code's ~60 citations of docs/, found {citations.Count}");
        Assert.Empty(citations.Where(c => Broken(c.File, c.Heading)).Select(c => $"{c.Where}: docs/{c.File}#{c.Heading}"));
    }

    [Fact]
    public void Every_Link_Between_The_Docs_Names_An_Existing_File_And_Heading()
    {
        var links = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md")
            .SelectMany(path => DocsLink().Matches(File.ReadAllText(path))
                .Select(m => (Where: Path.GetFileName(path), File: m.Groups[1].Value, Heading: m.Groups[2].Value)))
            .ToList();
        Assert.NotEmpty(links);
        Assert.Empty(links.Where(l => Broken(l.File, l.Heading)).Select(l => $"docs/{l.Where}: {l.File}#{l.Heading}"));
    }

    [Fact]
    public void No_Comment_Cites_Notes_Outside_The_Repository()
    {
        string[] outside = ["DESIGN" + ".md", "REFERENCE" + ".md", "REFERENCE" + " §", "STYLE" + ".md"];
        var stray = CodeLines()
            .Where(x => outside.Any(o => x.Line.Contains(o, StringComparison.Ordinal)))
            .Select(x => $"{x.Where}: {x.Line.Trim()}");
        Assert.Empty(stray);
    }

    [Fact]
    public void No_Comment_Cites_An_Issue_Number()
    {
        var stray = CodeLines().Where(x => IssueNumber().IsMatch(x.Line)).Select(x => $"{x.Where}: {x.Line.Trim()}");
        Assert.Empty(stray);
    }

    [Theory]
    // The cited lines are split so that this file does not cite an issue itself.
    [InlineData("/// (iss" + "ue 10 §2): full-parameter training", true)]
    [InlineData("# The regime map of Iss" + "ue #7", true)]
    [InlineData("// as iss" + "ues 5 and 6 ask", true)]
    [InlineData("/// an issue the reader can see: the file is named", false)]
    [InlineData("// reissue 3 times", false)]
    public void An_Issue_Number_Is_Recognised(string line, bool cites) => Assert.Equal(cites, IssueNumber().IsMatch(line));

    [Theory]
    [InlineData("The problem", "the-problem")]
    [InlineData("LLM.int8", "llmint8")]
    [InlineData("MUSE-News metrics", "muse-news-metrics")]
    [InlineData("DurableUn-SAF", "durableun-saf")]
    public void Anchors_Follow_GitHubs_Rule(string heading, string anchor) => Assert.Equal(anchor, Anchor(heading));

    private static bool Broken(string file, string heading)
    {
        var path = Path.Combine(Root, "docs", file);
        if (!File.Exists(path)) return true;
        if (heading.Length == 0) return false;
        return !File.ReadLines(path).Where(l => l.StartsWith('#')).Select(l => Anchor(l.TrimStart('#').Trim())).Contains(heading);
    }

    /// GitHub's heading anchor: lower case, characters other than letters, digits, spaces, hyphens and underscores
    /// dropped, spaces turned into hyphens.
    private static string Anchor(string heading) =>
        new string(heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');

    private static IEnumerable<(string Where, string Line)> CodeLines() =>
        CodeFiles().SelectMany(path => File.ReadLines(path).Select((line, i) => ($"{Path.GetRelativePath(Root, path)}:{i + 1}", line)));

    private static IEnumerable<string> CodeFiles() =>
        CodeFolders.Select(folder => Path.Combine(Root, folder)).Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(path => CodeExtensions.Contains(Path.GetExtension(path)))
            .Where(path => !path.Contains("/bin/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal)
                && !path.Contains("node_modules", StringComparison.Ordinal));
}
