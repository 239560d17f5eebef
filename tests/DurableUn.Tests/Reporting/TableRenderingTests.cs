using DurableUn.Reporting;

namespace DurableUn.Tests.Reporting;

/// <summary>The three file formats of one small table, checked against the text each should produce.</summary>
public class TableRenderingTests
{
    // Given a table whose cells hold the characters each format must escape
    private static readonly Table Sample = new("t", "FA_bf16 & more", ["Method", "FA"],
        [["grad_ascent", "0.150 ± 0.071"], ["a|b, \"c\"", "∞"]], ["50% of seeds"]);

    [Fact]
    public void Markdown_Should_Be_A_Pipe_Table_With_Escaped_Pipes_And_Right_Aligned_Numbers()
    {
        // When rendered as Markdown
        var md = MarkdownTable.Render(Sample);
        // Then
        Assert.Equal(
            "| Method | FA |\n| --- | ---: |\n| grad_ascent | 0.150 ± 0.071 |\n| a\\|b, \"c\" | ∞ |\n\n*50% of seeds*\n", md);
    }

    [Fact]
    public void Latex_Should_Use_Booktabs_And_Escape_Underscores_Ampersands_And_Symbols()
    {
        // When rendered as LaTeX
        var tex = LatexTable.Render(Sample);
        // Then the rules are booktabs', specials are escaped and ± ∞ become math
        Assert.Contains("\\caption{FA\\_bf16 \\& more}", tex);
        Assert.Contains("\\begin{tabular}{lr}\n\\toprule\nMethod & FA \\\\\n\\midrule\n", tex);
        Assert.Contains("grad\\_ascent & 0.150 $\\pm$ 0.071 \\\\\n", tex);
        Assert.Contains("a|b, \"c\" & $\\infty$ \\\\\n\\bottomrule\n", tex);
        Assert.Contains("50\\% of seeds", tex);
    }

    [Fact]
    public void Csv_Should_Quote_Only_Fields_With_Commas_Quotes_Or_Line_Breaks()
    {
        // When rendered as CSV
        var csv = CsvTable.Render(Sample);
        // Then RFC 4180: CRLF lines, the comma-and-quote field quoted with doubled quotes
        Assert.Equal("Method,FA\r\ngrad_ascent,0.150 ± 0.071\r\n\"a|b, \"\"c\"\"\",∞\r\n", csv);
    }

    [Fact]
    public void Html_Should_Encode_Cells_And_Mark_Number_Columns()
    {
        // When rendered as HTML
        var html = HtmlTable.Render(Sample);
        // Then user text is encoded and the FA column is classed num
        Assert.Contains("<td>a|b, &quot;c&quot;</td><td class=\"num\">∞</td>", html);
        Assert.Contains("<caption>FA_bf16 &amp; more</caption>", html);
    }

    [Fact]
    public void Latex_Should_Wrap_A_Long_Text_Column_And_Write_The_Summary_Symbols_As_Math()
    {
        // Given a claims row whose evidence is longer than a LaTeX line can hold
        var evidence = "FA 0.000 → 0.167 at int4; p ≥ 0.05 at α = 0.05 over FA–RA, which is far longer than sixty characters";
        var table = new Table("summary", "Claims", ["Claim", "Verdict", "Evidence"], [["1. INT8", "holds", evidence]], [], TextColumns: 3);
        // When rendered as LaTeX
        var tex = LatexTable.Render(table);
        // Then the evidence column is a paragraph column, the short ones stay plain, and the symbols are math or dashes
        Assert.Contains("\\begin{tabular}{llp{0.5\\linewidth}}", tex);
        Assert.Contains("0.000 $\\to$ 0.167", tex);
        Assert.Contains("p $\\geq$ 0.05 at $\\alpha$ = 0.05 over FA--RA", tex);
    }
}
