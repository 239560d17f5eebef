
namespace DurableUn.ScaleOut;

/// <summary>
/// One child process for <see cref="LocalJobs"/>: a program, its arguments (no shell involved), and the file
/// that receives its stdout and stderr.
/// </summary>
public sealed record LocalJob(string Program, IReadOnlyList<string> Arguments, string LogPath, string? WorkingDirectory = null)
{
    /// <summary>
    /// One job per shard of <paramref name="count"/>: <paramref name="command"/> with every
    /// <see cref="ShardSpec.Placeholder"/> replaced by "i/count", logging to <c>logFolder/shard-i-of-count.log</c>.
    /// The same command the sbatch script runs, so a study behaves alike with <c>--jobs N</c> and on Slurm.
    /// </summary>
    public static IReadOnlyList<LocalJob> ForShards(IReadOnlyList<string> command, int count, string logFolder)
    {
        if (command.Count == 0) throw new ArgumentException("The command must name a program.", nameof(command));
        return ShardSpec.Range(count).Select(shard =>
        {
            var words = command.Select(w => w.Replace(ShardSpec.Placeholder, shard.ToString(), StringComparison.Ordinal)).ToList();
            return new LocalJob(words[0], words.Skip(1).ToList(), Path.Combine(logFolder, $"shard-{shard.Index}-of-{count}.log"));
        }).ToList();
    }
}
