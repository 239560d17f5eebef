using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using DurableUn.ScaleOut;
using DurableUn.Tests.Prerequisites;

namespace DurableUn.Tests.ScaleOut;

/// <summary>
/// A real, throwaway one-node Slurm cluster on this machine, for <see cref="SlurmArrayTests"/>: its own munge
/// key and socket, slurm.conf, state and spool folders and TCP ports, all under one temp folder, so it touches
/// no system configuration and can run beside another copy of itself. It needs root (slurmd runs jobs as their
/// owner) and Debian 12's packages <c>slurmctld slurmd slurm-client munge</c> (or the <c>slurm-wlm</c>
/// meta-package). Without them it starts nothing, and the tests that use it, marked [FactNeeds(Need.Slurm)], are
/// skipped saying what is missing. Start-up takes about 2 s; <see cref="Dispose"/> stops exactly the three daemons it started.
/// Not: accounting (no slurmdbd, so no sacct), cgroups, GPUs; not: a multi-node cluster.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LocalSlurmCluster : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(string Name, Process Process, StreamWriter Log)> _daemons = [];
    private readonly string _conf;

    public LocalSlurmCluster()
    {
        if (Prerequisite.Missing(Need.Slurm) is not null)
        {
            // xunit builds class fixtures even for skipped tests; the class's other tests may not need Slurm.
            Folder = _conf = "";
            SlurmEnvironment = new Dictionary<string, string>();
            return;
        }
        Folder = Directory.CreateTempSubdirectory("durableun-slurm-").FullName;
        // munged refuses a socket folder that others cannot enter; CreateTempSubdirectory makes it 0700.
        File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        _conf = Path.Combine(Folder, "slurm.conf");
        SlurmEnvironment = new Dictionary<string, string> { ["SLURM_CONF"] = _conf };
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Folder { get; }
    /// Points Slurm commands at this cluster rather than at /etc/slurm/slurm.conf.
    public IReadOnlyDictionary<string, string> SlurmEnvironment { get; }
    public SlurmClient Client => new(SlurmEnvironment);

    private string MungeSocket => Path.Combine(Folder, "munge.socket");

    private void Start()
    {
        var key = Path.Combine(Folder, "munge.key");
        // A fresh random key (munge wants at least 32 bytes, readable only by its owner): no system key needed.
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        StartDaemon("munged", "munged", "--foreground", $"--socket={MungeSocket}", $"--key-file={key}",
            $"--pid-file={Path.Combine(Folder, "munged.pid")}", $"--seed-file={Path.Combine(Folder, "munged.seed")}");
        WaitUntil(() => File.Exists(MungeSocket), "munged to create its socket");

        File.WriteAllText(_conf, SlurmConf(NodeLine()));
        StartDaemon("slurmctld", "slurmctld", "-D", "-i", "-f", _conf);
        StartDaemon("slurmd", "slurmd", "-D", "-f", _conf);
        WaitUntil(() => Run("sinfo", "-h", "-N", "-o", "%T").Stdout.Trim() == "idle", "the node to be idle in sinfo");
    }

    /// <summary>The smallest slurm.conf that runs batch jobs as root on loopback, with free ports.</summary>
    private string SlurmConf(string nodeLine)
    {
        var node = nodeLine.Split(' ')[0]["NodeName=".Length..];
        return $"""
            ClusterName=durableun-test
            SlurmctldHost={node}(127.0.0.1)
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={MungeSocket}
            SlurmUser=root
            SlurmdUser=root
            StateSaveLocation={Directory.CreateDirectory(Path.Combine(Folder, "state")).FullName}
            SlurmdSpoolDir={Directory.CreateDirectory(Path.Combine(Folder, "spool")).FullName}
            SlurmctldPidFile={Path.Combine(Folder, "slurmctld.pid")}
            SlurmdPidFile={Path.Combine(Folder, "slurmd.pid")}
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            MpiDefault=none
            ReturnToService=2
            {nodeLine} NodeAddr=127.0.0.1 State=UNKNOWN
            PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP

            """;
    }

    /// This machine as slurmd sees it ("NodeName=vm CPUs=2 ... RealMemory=24105"), so the node never drains for
    /// claiming more CPUs or memory than it has.
    private static string NodeLine()
    {
        var result = ExternalCommand.Run("slurmd", ["-C"]);
        var line = result.Stdout.Split('\n')[0].Trim();
        return result.ExitCode == 0 && line.StartsWith("NodeName=", StringComparison.Ordinal)
            ? line
            : throw new InvalidOperationException($"'slurmd -C' did not describe this node: {result.Stdout}{result.Stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal ExternalResult Run(string program, params string[] arguments) => ExternalCommand.Run(program, arguments, SlurmEnvironment);

    private void StartDaemon(string name, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["SLURM_CONF"] = _conf;
        var log = new StreamWriter(Path.Combine(Folder, name + ".log")) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        _daemons.Add((name, process, log));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void WaitUntil(Func<bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            var dead = _daemons.FirstOrDefault(d => d.Process.HasExited);
            if (dead.Process is not null)
                throw new InvalidOperationException($"{dead.Name} exited with {dead.Process.ExitCode} while waiting for {what}.\n{Logs()}");
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"Gave up after {StartTimeout.TotalSeconds} s waiting for {what}.\n{Logs()}");
            Thread.Sleep(200);
        }
    }

    /// The last lines of each daemon's log, for failure messages.
    public string Logs() => string.Join('\n', _daemons.Select(d =>
    {
        var path = Path.Combine(Folder, d.Name + ".log");
        var lines = File.Exists(path) ? File.ReadLines(path).TakeLast(15) : [];
        return $"--- {d.Name} ---\n" + string.Join('\n', lines);
    }));

    /// Stops the daemons this fixture started, newest first: SIGTERM, then SIGKILL after 5 s. Never by name.
    public void Dispose()
    {
        foreach (var (_, process, log) in Enumerable.Reverse(_daemons))
        {
            if (!process.HasExited) ExternalCommand.Run("bash", ["-c", $"kill -TERM {process.Id}"]);
            if (!process.WaitForExit(5000)) process.Kill();
            process.WaitForExit(); // also drains the output events, so the log can close
            process.Dispose();
            lock (log) log.Dispose();
        }
        _daemons.Clear();
        if (Folder.Length > 0) Directory.Delete(Folder, recursive: true);
    }
}
