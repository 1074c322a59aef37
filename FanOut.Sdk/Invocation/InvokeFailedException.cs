namespace FanOut;

/// <summary>
/// Thrown by <c>step.Invoke</c> when the invoked function's run did not succeed (it failed, was cancelled or timed
/// out), or did not finish within the invoke's timeout. The function may catch it; uncaught, it fails the calling run
/// like any step that failed for good (it is not retried: the child already used its own retries).
/// </summary>
public sealed class InvokeFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvokeFailedException(string stepId, string functionId, string childRunId, RunStatus? childStatus, RunError error)
        : base(childStatus is null
            ? $"Step '{stepId}' invoked '{functionId}' (run {childRunId}), which did not finish in time: {error.Message}"
            : $"Step '{stepId}' invoked '{functionId}' (run {childRunId}), which ended {childStatus}: {error.Type}: {error.Message}")
    {
        StepId = stepId;
        FunctionId = functionId;
        ChildRunId = childRunId;
        ChildStatus = childStatus;
        Error = error;
    }

    /// <summary>The invoking step's id.</summary>
    public string StepId { get; }

    /// <summary>The invoked function.</summary>
    public string FunctionId { get; }

    /// <summary>The invoked function's run.</summary>
    public string ChildRunId { get; }

    /// <summary>How the child run ended, or null when the invoke timed out before it did (it may still be running).</summary>
    public RunStatus? ChildStatus { get; }

    /// <summary>True when the invoke's timeout passed before the child run finished.</summary>
    public bool TimedOut => ChildStatus is null;

    /// <summary>The child's own error, as stored (or, for a timeout, what timed out).</summary>
    public RunError Error { get; }
}
