namespace FanOut.PostgreSql;

/// <summary>
/// Counters of a <see cref="PostgresStore"/>'s group commit since it opened: how many of the attempt's hot writes (step
/// memos, retries, releases, ends) it executed, and in how many commits. <see cref="WritesPerCommit"/> shows how well
/// grouping amortizes the server's commit (one WAL flush each).
/// </summary>
/// <param name="Commits">Transactions the group commit committed.</param>
/// <param name="Writes">Write requests executed in those transactions, including those the lease fence refused and those that failed.</param>
/// <param name="FailedWrites">Write requests that failed on their own (a statement error); their group was rolled back and committed without them.</param>
/// <param name="StepsSaved">Step memos saved (<see cref="PostgresStore.SaveStepAsync"/> calls that succeeded).</param>
/// <param name="Rollbacks">Groups rolled back and run again: without a failed write, or after a deadlock with another transaction.</param>
public readonly record struct PostgresStoreStatistics(long Commits, long Writes, long FailedWrites, long StepsSaved, long Rollbacks)
{
    /// <summary>Average writes per commit (0 before the first commit).</summary>
    public double WritesPerCommit => Commits == 0 ? 0 : (double)Writes / Commits;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Writes} writes ({StepsSaved} steps, {FailedWrites} failed) in {Commits} commits ({Rollbacks} rollbacks): {WritesPerCommit:0.0} writes/commit";
}
