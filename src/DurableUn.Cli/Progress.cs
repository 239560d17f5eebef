using DurableUn.Training;
using Spectre.Console;

namespace DurableUn.Cli;

/// <summary>A progress bar for a training run: step count, loss and steps/s (tokens/s when the caller knows them).</summary>
internal static class Progress
{
    public static T Training<T>(string title, int steps, Func<Action<StepRecord>, T> run)
    {
        if (Console.IsOutputRedirected)
            return run(s => { if ((s.Step + 1) % Math.Max(1, steps / 10) == 0) Console.WriteLine($"{title}: step {s.Step + 1}/{steps} loss {s.Loss:F4}"); });
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: steps);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                result = run(s =>
                {
                    task.Value = s.Step + 1;
                    task.Description = $"{title} loss {s.Loss:F3} ({(s.Step + 1) / Math.Max(1e-9, watch.Elapsed.TotalSeconds):F1} steps/s)";
                });
            });
        return result;
    }
}
