namespace DurableUn.Experiments.Preparation;

/// <summary>What a running study tells its user (the CLI shows a progress display with an ETA).</summary>
public interface IStudyObserver
{
    /// A preparation step starts (data, model, targets, calibration).
    void Stage(string description);
    /// A cell finished (or was found finished): how many of this shard's cells are done, and how long this one took.
    void CellDone(string key, int done, int total, double seconds, bool skipped);
}
