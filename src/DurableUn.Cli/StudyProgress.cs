using DurableUn.Experiments.Preparation;
using Spectre.Console;

namespace DurableUn.Cli;

/// <summary>
/// Shows a study's progress: preparation stages as lines, then cells done of total with an ETA from the mean time
/// of the cells run so far. Writes plain lines when the output is not a terminal (logs of Slurm tasks).
/// </summary>
internal sealed class StudyProgress : IStudyObserver
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private double _ranSeconds;
    private int _ran;

    public void Stage(string description) =>
        AnsiConsole.MarkupLine($"[grey]{Clock(_clock.Elapsed)}[/] {Markup.Escape(description)}");

    public void CellDone(string key, int done, int total, double seconds, bool skipped)
    {
        if (!skipped) { _ran++; _ranSeconds += seconds; }
        var eta = _ran == 0 ? "" : $", ETA {Clock(TimeSpan.FromSeconds(_ranSeconds / _ran * (total - done)))}";
        AnsiConsole.MarkupLine($"[grey]{Clock(_clock.Elapsed)}[/] cell {done}/{total} {Markup.Escape(key)} " +
                               (skipped ? "[grey](already done)[/]" : $"{seconds:F1} s{eta}"));
    }

    /// Minutes and seconds, the minutes not wrapping at an hour (a wide preset pretrains for one): 61:12, not 01:12.
    internal static string Clock(TimeSpan t) => $"{(int)t.TotalMinutes:00}:{t.Seconds:00}";
}
