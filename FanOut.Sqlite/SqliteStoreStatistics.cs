namespace FanOut.Sqlite;

/// <summary>
/// Counters of a <see cref="SqliteStore"/>'s writer since it opened: how many writes it executed and in how many commits.
/// <see cref="WritesPerCommit"/> and <see cref="StepsPerCommit"/> show how well group commit amortizes the disk flush.
/// </summary>
/// <param name="Commits">Transactions committed (each one disk flush under <see cref="SqliteDurability.Full"/>).</param>
/// <param name="Writes">Write requests executed in those transactions (accepts, claims, step saves, retries, releases, finishes, recoveries, prunes), including those that failed.</param>
/// <param name="FailedWrites">Write requests that failed and were rolled back on their own, leaving their group intact.</param>
/// <param name="StepsSaved">Steps saved (<see cref="SqliteStore.SaveStepAsync"/> calls that succeeded).</param>
/// <param name="Prunes">Prunes executed, explicit and automatic.</param>
/// <param name="GroupsRunAgain">Groups first run whole, without a savepoint per write, in which a write failed: rolled back and run again with a savepoint per write, so that only the failing write is undone.</param>
public readonly record struct SqliteStoreStatistics(long Commits, long Writes, long FailedWrites, long StepsSaved, long Prunes, long GroupsRunAgain = 0)
{
    /// <summary>Average writes per commit (0 before the first commit).</summary>
    public double WritesPerCommit => Commits == 0 ? 0 : (double)Writes / Commits;

    /// <summary>Average steps saved per commit (0 before the first commit).</summary>
    public double StepsPerCommit => Commits == 0 ? 0 : (double)StepsSaved / Commits;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Writes} writes ({StepsSaved} steps, {FailedWrites} failed) in {Commits} commits: {WritesPerCommit:0.0} writes/commit, {StepsPerCommit:0.0} steps/commit, {GroupsRunAgain} group(s) run again";
}
