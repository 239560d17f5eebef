namespace DurableUn.Experiments.Preparation;

/// <summary>One piece of preparation that whichever process gets to it first does: its name (the claim), whether
/// its output exists, whether what it reads exists, and the work. <see cref="Run"/> builds its output whole or not at
/// all, so a half-done task never counts as done.</summary>
internal sealed record SharedTask(string Name, Func<bool> IsDone, Func<bool> IsReady, Action Run);
