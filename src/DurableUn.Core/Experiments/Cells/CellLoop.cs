using System.Diagnostics;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.IO;

namespace DurableUn.Experiments.Cells;

/// <summary>
/// The one loop over a plan's cells, for a study and a sweep: this shard's cells in plan order, then the other
/// shards' cells it is given (a study's, so a shard that finishes early helps instead of idling). A finished cell
/// (cells/KEY.json) is skipped, so a killed run resumes without losing or duplicating a cell.
/// <para>
/// With a claims folder, a cell is claimed (a <see cref="FolderLock"/> <c>cell-KEY</c>) before it runs, so no two
/// processes run one cell, and a cell another process holds, or has just finished, is skipped. Without one (a sweep,
/// whose shards never share a point) the cell simply runs; <see cref="CellStore"/> keeps the first result if two
/// processes were given the same shard.
/// </para>
/// Progress: each of this shard's cells is reported done, run or skipped, with how many of them are done; a cell
/// taken over from another shard is one stage line.
/// </summary>
internal static class CellLoop
{
    /// <param name="mine">This shard's cells, in plan order.</param>
    /// <param name="others">Cells of other shards to take when no process has them, in the order to take them;
    /// only with <paramref name="claims"/>, since without claims two shards would run the same cell.</param>
    /// <param name="run">Runs a cell and returns what cells/KEY.json will hold.</param>
    /// <param name="claims">The folder of cell claims, or null for no claims.</param>
    /// <param name="label">How a cell of this shard that ran is named in its progress line (its key by default).</param>
    public static void Run<T>(IReadOnlyList<T> mine, IReadOnlyList<T> others, Func<T, string> key, Func<T, CellOutcome> run,
                              CellStore cells, string? claims, IStudyObserver observer, Func<T, string>? label = null)
    {
        if (claims is null && others.Count > 0)
            throw new ArgumentException("other shards' cells can be taken over only with claims: two shards would run the same cell", nameof(others));
        var done = 0;
        var order = mine.Concat(others).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            var (cell, own) = (order[i], i < mine.Count);
            var k = key(cell);
            if (cells.IsDone(k))
            {
                if (own) observer.CellDone(k, ++done, mine.Count, 0, skipped: true);
                continue;
            }
            using var claim = claims is null ? null : FolderLock.TryAcquire(claims, $"cell-{k}");
            if (claims is not null && (claim is null || cells.IsDone(k)))        // another process has it, or just finished it
            {
                if (own) observer.CellDone(k, ++done, mine.Count, 0, skipped: true);
                continue;
            }
            var watch = Stopwatch.StartNew();
            cells.Write(k, run(cell));
            if (own) observer.CellDone(label?.Invoke(cell) ?? k, ++done, mine.Count, watch.Elapsed.TotalSeconds, skipped: false);
            else observer.Stage($"cell {k} (taken over from another shard) {watch.Elapsed.TotalSeconds:F1} s");
        }
    }
}
