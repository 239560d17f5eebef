namespace DurableUn.Tests.Prerequisites;

/// <summary>
/// Says which outside program a test lacks on this machine, in one line that names it and the command that installs
/// it. Looks on PATH each time it is asked; the test attributes ask once, when xunit discovers the tests.
/// </summary>
public static class Prerequisite
{
    private static readonly string[] SlurmPrograms = ["munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo"];

    /// <summary>Why <paramref name="need"/> is unavailable here, or null when it is available.</summary>
    public static string? Missing(Need need) => need switch
    {
        Need.Slurm => MissingSlurm(),
        Need.Chromium => Chromium() is null
            ? "needs Chromium: no chromium or chromium-browser on PATH (apt-get install -y chromium fonts-dejavu-core)"
            : null,
        Need.LlamaCpp => !OnPath("node")
            ? "needs llama.cpp: no node on PATH (apt-get install -y nodejs npm, then npm ci --prefix tools/llama-check)"
            : !Directory.Exists(Path.Combine(RepoRoot(), "tools", "llama-check", "node_modules", "node-llama-cpp"))
                ? "needs llama.cpp: tools/llama-check/node_modules is missing (npm ci --prefix tools/llama-check)"
                : null,
        _ => throw new ArgumentOutOfRangeException(nameof(need), need, "unknown prerequisite"),
    };

    /// <summary>
    /// Set to 1 by .ci/run, which installs every need: then nothing is skipped, and a test whose program is missing
    /// runs and fails with its own message instead of hiding behind a skip.
    /// </summary>
    public const string RequireAllVariable = "DURABLEUN_TESTS_REQUIRE_ALL";

    /// <summary>The skip reason for a test with these needs: the first one missing, or null to run it.</summary>
    public static string? SkipReason(IEnumerable<Need> needs) =>
        Environment.GetEnvironmentVariable(RequireAllVariable) == "1"
            ? null
            : needs.Select(Missing).FirstOrDefault(reason => reason is not null);

    /// <summary>The Chromium executable on PATH, or null.</summary>
    public static string? Chromium() => new[] { "chromium", "chromium-browser" }.Select(Find).FirstOrDefault(p => p is not null);

    private static string? MissingSlurm()
    {
        var absent = SlurmPrograms.Where(p => !OnPath(p)).ToList();
        if (absent.Count > 0)
            return $"needs Slurm: {string.Join(", ", absent)} not on PATH (apt-get install -y slurmctld slurmd slurm-client munge; they live in /usr/sbin)";
        return Environment.UserName == "root" ? null : "needs Slurm run as root (slurmd starts jobs as their owner); this is " + Environment.UserName;
    }

    private static bool OnPath(string program) => Find(program) is not null;

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program))
        .FirstOrDefault(File.Exists);

    /// <summary>The checkout holding DurableUn.slnx above the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DurableUn.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no DurableUn.slnx above {AppContext.BaseDirectory}");
    }
}
