namespace DurableUn.Tests.Prerequisites;

/// <summary>An outside program some tests need and a fresh machine with only the .NET SDK lacks (.ci/run installs each).</summary>
public enum Need
{
    /// <summary>A root-run one-node Slurm: munged, slurmctld, slurmd, sbatch, scontrol, sinfo (Debian: slurmctld slurmd slurm-client munge).</summary>
    Slurm,
    /// <summary>Headless Chromium to render report.html (Debian: chromium, plus fonts-dejavu-core for the plots).</summary>
    Chromium,
    /// <summary>llama.cpp through node and tools/llama-check/node_modules (`npm ci --prefix tools/llama-check`).</summary>
    LlamaCpp,
}
