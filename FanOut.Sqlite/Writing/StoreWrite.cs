namespace FanOut.Sqlite.Writing;

/// <summary>
/// One request to the writer: an accept, a claim, a saved step… It runs inside the group's transaction, in its own
/// savepoint, and its caller learns the outcome only after the group committed.
/// </summary>
internal abstract class StoreWrite
{
    protected StoreWrite(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

    /// <summary>The caller's token: a write still queued when it is cancelled is skipped.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Why this write failed within its group (it was rolled back to its savepoint), or null.</summary>
    public Exception? Error { get; set; }

    /// <summary>How many steps this write saved (for the statistics).</summary>
    public virtual int StepsSaved => 0;

    /// <summary>True for a prune (for the statistics).</summary>
    public virtual bool IsPrune => false;

    /// <summary>Does the work on the writer's connection, inside a transaction. Throws to have it rolled back.</summary>
    public abstract void Execute(WriteContext context);

    /// <summary>Reports the outcome to the caller, after the commit (or the failed commit).</summary>
    public abstract void Complete();

    /// <summary>Fails the write without running it, or after its group failed to commit.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A write whose caller awaits a <typeparamref name="T"/>.</summary>
internal abstract class StoreWrite<T> : StoreWrite
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? result;

    protected StoreWrite(CancellationToken cancellationToken) : base(cancellationToken)
    {
    }

    /// <summary>Completes after the commit.</summary>
    public Task<T> Task => completion.Task;

    public sealed override void Execute(WriteContext context) => result = Run(context);

    public sealed override void Complete()
    {
        if (Error is { } error)
        {
            completion.TrySetException(error);
        }
        else
        {
            completion.TrySetResult(result!);
        }
    }

    public sealed override void Fail(Exception error) => completion.TrySetException(error);

    protected abstract T Run(WriteContext context);
}
