using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DurableUn.Reporting;
using DurableUn.Tests.Prerequisites;

namespace DurableUn.Tests.Reporting;

/// <summary>
/// report.html laid out by a real browser, measured from inside it: a copy of the page gets a script that reads, after
/// layout, the bounding box of every text element of every inline plot, every plot's own box, and where the summary's
/// claim rows sit; headless Chromium prints the resulting DOM (--dump-dom) and the test reads the numbers back. The
/// report itself stays script-free; only the copy is instrumented.
/// Skipped with its reason when Chromium is missing, unless DURABLEUN_TESTS_REQUIRE_ALL=1.
/// </summary>
public sealed partial class HtmlLayoutInBrowserTests : IDisposable
{
    private const int Width = 1280, Height = 1000;
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-layout-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Box(string Text, double X, double Y, double W, double H)
    {
        /// Overlap by more than half a pixel each way: touching boxes and antialiasing rounding do not count.
        public bool Overlaps(Box o) =>
            Math.Min(X + W, o.X + o.W) - Math.Max(X, o.X) > 0.5 && Math.Min(Y + H, o.Y + o.H) - Math.Max(Y, o.Y) > 0.5;
    }

    private sealed record Plot(string Id, double W, double H, string Display, string Visibility, int Shapes, IReadOnlyList<Box> Texts);

    private sealed record Layout(IReadOnlyList<Plot> Plots, IReadOnlyList<double> ClaimRowBottoms, double ViewportHeight);

    [FactNeeds(Need.Chromium)]
    public void No_Two_Labels_Of_Any_Plot_Overlap_Every_Plot_Is_Visible_And_The_Claims_Fit_The_First_Screen()
    {
        // Given the report of sixteen rows on one benchmark (with a sweep and loss curves), instrumented
        ReportWriter.Write(ReportFixtures.ManyMethods(), _dir);
        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        var page = Path.Combine(_dir, "measured.html");
        File.WriteAllText(page, html.Replace("</body>", Measure + "</body>", StringComparison.Ordinal));

        // When Chromium lays it out at 1280 × 1000 and prints the measurements
        var dom = HeadlessChromium.Run(Path.Combine(_dir, "profile"), Width, Height, "--dump-dom", new Uri(page).AbsoluteUri);
        var json = WebUtility.HtmlDecode(Measured().Match(dom).Groups[1].Value);
        var layout = JsonSerializer.Deserialize<Layout>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

        // Then every figure of the report is there and visible: shown, not hidden, of real size, with drawn shapes
        var figures = Regex.Matches(html, "<figure id=\"fig-").Count;
        Assert.Equal(figures, layout.Plots.Count);
        Assert.All(layout.Plots, p =>
        {
            Assert.True(p.W > 300 && p.H > 200, $"{p.Id} is laid out at {p.W} × {p.H} px");
            Assert.True(p.Display != "none" && p.Visibility == "visible", $"{p.Id}: display {p.Display}, visibility {p.Visibility}");
            Assert.True(p.Shapes > 5, $"{p.Id} draws only {p.Shapes} shapes");
            Assert.True(p.Texts.Count > 3, $"{p.Id} has only {p.Texts.Count} text elements");
        });
        // and no two text elements of one plot overlap (tick labels of either axis, legend, title), the method names included
        foreach (var plot in layout.Plots)
        {
            var texts = plot.Texts.Where(t => t.W > 0 && t.H > 0 && t.Text.Length > 0).ToList();
            for (var i = 0; i < texts.Count; i++)
                for (var j = i + 1; j < texts.Count; j++)
                    Assert.False(texts[i].Overlaps(texts[j]), $"{plot.Id}: \"{texts[i].Text}\" {texts[i]} overlaps \"{texts[j].Text}\" {texts[j]}");
        }
        var bars = layout.Plots.Single(p => p.Id.StartsWith("fig-fa-by-precision", StringComparison.Ordinal));
        foreach (var label in new[] { "salun (calibrated)", "salun (published)", "simnpo" })
            Assert.Contains(bars.Texts, t => t.Text == label);
        // and the five claim rows of the summary end within the first screen
        Assert.Equal(5, layout.ClaimRowBottoms.Count);
        Assert.All(layout.ClaimRowBottoms, bottom => Assert.True(bottom <= layout.ViewportHeight, $"a claim row ends at {bottom} px, below the first screen ({layout.ViewportHeight} px)"));
    }

    /// Runs after layout (at the end of body, reading boxes forces it); writes its JSON into a pre for --dump-dom.
    private const string Measure = """
        <script>
        (function () {
          const box = e => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top + window.scrollY, w: r.width, h: r.height }; };
          const plots = Array.from(document.querySelectorAll('figure')).map(f => {
            const svg = f.querySelector('svg'); const b = box(svg); const style = getComputedStyle(svg);
            return { id: f.id, w: b.w, h: b.h, display: style.display, visibility: style.visibility,
                     shapes: svg.querySelectorAll('path, rect, line, polyline, polygon, circle, ellipse').length,
                     texts: Array.from(svg.querySelectorAll('text')).map(t => Object.assign({ text: t.textContent.trim() }, box(t))) };
          });
          const table = document.querySelector('table[id^="summary"]');
          const rows = table ? Array.from(table.querySelectorAll('tbody tr')).map(r => box(r).y + box(r).h) : [];
          const pre = document.createElement('pre'); pre.id = 'measured';
          pre.textContent = JSON.stringify({ plots: plots, claimRowBottoms: rows, viewportHeight: window.innerHeight });
          document.body.appendChild(pre);
        })();
        </script>
        """;

    [GeneratedRegex("<pre id=\"measured\">(.*?)</pre>", RegexOptions.Singleline)] private static partial Regex Measured();
}
