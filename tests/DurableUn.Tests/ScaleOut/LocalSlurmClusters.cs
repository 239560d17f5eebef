namespace DurableUn.Tests.ScaleOut;

/// <summary>
/// The test classes that start a <see cref="LocalSlurmCluster"/> of their own run one after the other. In one full run
/// on this machine, a cluster started while the other class's was up failed to come up (its munged logged
/// "Unauthorized credential for client UID=0" and slurmctld exited); the same tests alone passed. One cluster at a
/// time removes that overlap.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalSlurmClusters
{
    public const string Name = "tests that start a local Slurm cluster, one at a time";
}
