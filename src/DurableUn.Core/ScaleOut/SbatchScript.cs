using System.Text;

namespace DurableUn.ScaleOut;

/// <summary>
/// Renders the sbatch script of a sharded study: a job array with one task per shard, whose task i runs the
/// command with <see cref="ShardSpec.Placeholder"/> replaced by "i/N". Example, for three shards:
/// <code>
/// #!/bin/bash
/// #SBATCH --job-name=study
/// #SBATCH --array=0-2
/// ...
/// set -euo pipefail
/// exec 'durableun' 'study' 'spec.json' '--shard' "${SLURM_ARRAY_TASK_ID}/3"
/// </code>
/// The array starts at 0 so that <c>$SLURM_ARRAY_TASK_ID</c> is the 0-based shard index. Each word of the command
/// is single-quoted (<see cref="BashQuote"/>), so paths with spaces or <c>$</c> reach the program unchanged.
/// Not: submission (<see cref="SlurmClient"/>); not: environment setup such as <c>module load</c> (put it in the
/// command, e.g. a wrapper script).
/// </summary>
public static class SbatchScript
{
    public static string Render(SbatchOptions options)
    {
        options.Validate();
        var n = options.ArrayCount;
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append($"# Written by durableun: task i of this array runs shard i/{n} of the study (0-based).\n");
        Directive(script, "job-name", options.JobName);
        Directive(script, "array", $"0-{n - 1}" + (options.MaxConcurrent is { } max ? $"%{max}" : ""));
        // %x job name, %A array job id, %a task id: one log per task, never shared.
        Directive(script, "output", Path.Combine(options.OutputDir, "%x_%A_%a.log"));
        Directive(script, "chdir", options.WorkingDirectory);
        if (options.Partition is { } partition) Directive(script, "partition", partition);
        if (options.Time is { } time) Directive(script, "time", time);
        if (options.Gpus is { } gpus) Directive(script, "gres", $"gpu:{gpus}");
        if (options.Mem is { } mem) Directive(script, "mem", mem);
        if (options.CpusPerTask is { } cpus) Directive(script, "cpus-per-task", cpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        script.Append("set -euo pipefail\n");
        script.Append("exec ").Append(string.Join(' ', options.Command.Select(w => ShardWord(w, n)))).Append('\n');
        return script.ToString();
    }

    /// Writes the script to <paramref name="path"/> and creates the log folder, which sbatch does not do itself
    /// (a task whose log cannot be opened fails without a word).
    public static void WriteTo(string path, SbatchOptions options)
    {
        var text = Render(options);
        Directory.CreateDirectory(options.OutputDir);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    private static void Directive(StringBuilder script, string name, string value) =>
        script.Append("#SBATCH --").Append(name).Append('=').Append(value).Append('\n');

    /// Quotes the literal parts of a word and splices the shard in unquoted-by-single-quotes, so bash expands it.
    private static string ShardWord(string word, int count)
    {
        var shard = $"\"${{SLURM_ARRAY_TASK_ID}}/{count}\"";
        var parts = word.Split(ShardSpec.Placeholder);
        if (parts.Length == 1) return BashQuote.Word(word);
        return string.Join(shard, parts.Select(p => p.Length == 0 ? "" : BashQuote.Word(p)));
    }
}
