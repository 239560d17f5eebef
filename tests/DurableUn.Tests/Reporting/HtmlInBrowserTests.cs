using DurableUn.Tests.Prerequisites;
using DurableUn.Reporting;
using SkiaSharp;

namespace DurableUn.Tests.Reporting;

/// <summary>
/// report.html rendered by a real browser: headless Chromium screenshots it and the test decodes the PNG with
/// SkiaSharp (ScottPlot's own dependency) and checks that the page is not blank and that the plots' colours are on
/// it, which a broken inline SVG (bad XML, clashing clip-path ids, zero size) would lose. CI installs the Debian
/// package `chromium`; on a machine without it this test is skipped with a reason that says so.
/// The screenshot is left at bin/.../report-screenshot.png for a person to look at.
/// </summary>
public sealed class HtmlInBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-browser-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [FactNeeds(Need.Chromium)]
    public void Report_Should_Render_In_Chromium_With_Its_Plots_Visible()
    {
        // Given the full fixture report on disk
        ReportWriter.Write(ReportFixtures.Full(), _dir);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "report-screenshot.png");
        File.Delete(screenshot);

        // When headless Chromium renders it at 1200 × 2000
        Screenshot(new Uri(Path.Combine(_dir, "report.html")), screenshot, 1200, 2000);
        using var bitmap = SKBitmap.Decode(screenshot);

        // Then the page is far from blank: many non-white pixels and many distinct colours (text antialiasing + plots)
        var pixels = bitmap.Pixels;
        var nonWhite = pixels.Count(p => p.Red < 240 || p.Green < 240 || p.Blue < 240);
        Assert.True(nonWhite > pixels.Length / 50, $"only {nonWhite} of {pixels.Length} pixels are not white");
        var distinct = pixels.Select(p => (uint)p).Distinct().Count();
        Assert.True(distinct > 200, $"only {distinct} distinct colours");
        // and the bar chart's bf16, int8 and int4 colours (Category10 blue, orange, green) fill whole areas
        foreach (var (name, colour) in new[] { ("bf16 blue", new SKColor(0x1F, 0x77, 0xB4)), ("int8 orange", new SKColor(0xFF, 0x7F, 0x0E)), ("int4 green", new SKColor(0x2C, 0xA0, 0x2C)) })
        {
            var count = pixels.Count(p => Near(p, colour));
            Assert.True(count > 100, $"{name} ({colour}) covers only {count} pixels; the bar plot did not render");
        }
    }

    private static bool Near(SKColor a, SKColor b) =>
        Math.Abs(a.Red - b.Red) <= 3 && Math.Abs(a.Green - b.Green) <= 3 && Math.Abs(a.Blue - b.Blue) <= 3;

    private void Screenshot(Uri page, string png, int width, int height)
    {
        HeadlessChromium.Run(Path.Combine(_dir, "profile"), width, height, $"--screenshot={png}", page.AbsoluteUri);
        Assert.True(File.Exists(png), "Chromium wrote no screenshot");
    }
}
