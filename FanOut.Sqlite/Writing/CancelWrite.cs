using FanOut.Stores;

namespace FanOut.Sqlite.Writing;

/// <summary>
/// Cancels a run: a queued (or sleeping) run ends cancelled at once; a running run gets a cancel request (its reason
/// in <c>runs.cancel_reason</c>) that ends it when its attempt next ends (<see cref="RetryWrite"/>,
/// <see cref="ReleaseWrite"/>, or <see cref="RecoverWrite"/> after a crash); a finished run is left alone.
/// </summary>
internal sealed class CancelWrite(string runId, string reason, CancellationToken cancellationToken) : StoreWrite<CancelResult>(cancellationToken)
{
    private const string LoadStatus = "SELECT status FROM runs WHERE id = $id;";

    // The first request's reason stands: a second request changes nothing.
    private const string Request = "UPDATE runs SET cancel_reason = coalesce(cancel_reason, $reason) WHERE id = $id AND status = 1;";

    protected override CancelResult Run(WriteContext context)
    {
        var status = context.Command(LoadStatus).With("$id", runId).ExecuteScalar();
        switch (status is long value ? (RunStatus)value : (RunStatus?)null)
        {
            case null:
                return new CancelResult(CancelOutcome.NotFound, null); // never accepted, or pruned
            case RunStatus.Queued:
                return new CancelResult(CancelOutcome.Cancelled, RunEndWrites.EndCancelled(context, runId, reason).Result);
            case RunStatus.Running:
                context.Command(Request).With("$id", runId).With("$reason", reason).ExecuteNonQuery();
                return new CancelResult(CancelOutcome.Requested, null);
            default:
                return new CancelResult(CancelOutcome.AlreadyFinished, null);
        }
    }
}

/// <summary>Reads a running run's pending cancel request.</summary>
internal static class CancelRequest
{
    private const string Load = "SELECT cancel_reason FROM runs WHERE id = $id AND status = 1;";

    /// <summary>The reason the running run <paramref name="runId"/> was asked to cancel with, or null when it was not (or is not running).</summary>
    public static string? Of(WriteContext context, string runId) =>
        context.Command(Load).With("$id", runId).ExecuteScalar() as string;
}
