using System.Diagnostics;
using DurableUn.Tests.Prerequisites;

namespace DurableUn.Tests.Reporting;

/// <summary>
/// Runs headless Chromium once on a page with its own profile folder (parallel runs must not share one), at a fixed
/// window size and device scale 1, and returns what it printed on stdout (the DOM, for --dump-dom).
/// </summary>
internal static class HeadlessChromium
{
    public static string Run(string profile, int width, int height, params string[] arguments)
    {
        var browser = Prerequisite.Chromium()
            ?? throw new InvalidOperationException(
                "Chromium is not installed, and this test renders report.html in a real browser. Install it: apt-get install -y chromium fonts-dejavu-core");
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                                  $"--user-data-dir={profile}", $"--window-size={width},{height}" }.Concat(arguments))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("Chromium did not finish within 120 s.");
        }
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
