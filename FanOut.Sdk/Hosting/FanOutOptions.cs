namespace FanOut;

/// <summary>Settings of FanOut's engine, set through <c>services.AddFanOut(options =&gt; …)</c>.</summary>
public sealed class FanOutOptions
{
    private HashSet<string>? onlyFunctionIds;
    private HashSet<Type>? onlyFunctionTypes;

    /// <summary>The longest one attempt of a run may take before it is cancelled and marked timed out. Default: 15 minutes.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many runs may execute at once in this process (a bound on runs, not on threads). Default: 64.</summary>
    public int MaxConcurrentRuns { get; set; } = 64;

    /// <summary>
    /// On shutdown, how long in-flight runs may go on before they are cancelled. Default: 10 seconds. After cancelling,
    /// the worker waits as long again for runs that observe their token, then marks those that ignore it cancelled.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a failed step (or a function failing outside its steps) is retried. Default: 4 (5 attempts), as Inngest. Per function: <see cref="FunctionAttribute.Retries"/>.</summary>
    public int DefaultRetries { get; set; } = 4;

    /// <summary>The delay before the first retry; each further retry doubles it, up to <see cref="RetryMaxDelay"/>, with jitter. Default: 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries. Default: 10 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest step result, as JSON, that is stored. Default: 4 MiB, as Inngest. A larger result fails the step without retries.</summary>
    public int MaxStepOutputBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// When a succeeded step's result is saved. Default: <see cref="StepSaving.BeforeReturning"/> — committed before
    /// <c>step.Run</c> returns, so once it has returned the step never executes again.
    /// <see cref="StepSaving.WithNextWrite"/> saves it before the next step starts, or with the run's outcome (one write
    /// for a run's last step and its end), for fewer writes per run.
    /// </summary>
    public StepSaving StepSaving { get; set; } = StepSaving.BeforeReturning;

    /// <summary>
    /// Whether this process executes runs. Default: true. False makes a process that only accepts events (a web front
    /// end serving the Event API, say): sends store the events and their runs as usual, and the runs wait in the store
    /// for a process with the worker on. Such a process neither claims nor recovers runs.
    /// </summary>
    public bool StartWorker { get; set; } = true;

    /// <summary>The clock. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Hosts only the functions with these ids (for tests, or a node that runs part of the app). May be called again to add more.</summary>
    /// <param name="functionIds">Function ids.</param>
    /// <returns>These options.</returns>
    public FanOutOptions OnlyFunctions(params string[] functionIds)
    {
        onlyFunctionIds ??= new HashSet<string>(StringComparer.Ordinal);
        onlyFunctionIds.UnionWith(functionIds);
        return this;
    }

    /// <summary>Hosts only the functions declared in <typeparamref name="T"/> (may be combined with <see cref="OnlyFunctions"/>).</summary>
    /// <typeparam name="T">The class declaring the functions.</typeparam>
    /// <returns>These options.</returns>
    public FanOutOptions OnlyFunctionsOf<T>() => OnlyFunctionsOf(typeof(T));

    /// <summary>Hosts only the functions declared in <paramref name="declaringType"/>; for static classes, which cannot be type arguments.</summary>
    /// <param name="declaringType">The class declaring the functions.</param>
    /// <returns>These options.</returns>
    public FanOutOptions OnlyFunctionsOf(Type declaringType)
    {
        ArgumentNullException.ThrowIfNull(declaringType);
        onlyFunctionTypes ??= [];
        onlyFunctionTypes.Add(declaringType);
        return this;
    }

    internal bool HasSubset => onlyFunctionIds is not null || onlyFunctionTypes is not null;

    internal bool Hosts(string functionId, Type declaringType) =>
        !HasSubset
        || (onlyFunctionIds?.Contains(functionId) ?? false)
        || (onlyFunctionTypes?.Contains(declaringType) ?? false);

    internal IEnumerable<string> RequestedIds => onlyFunctionIds ?? Enumerable.Empty<string>();
}

/// <summary>When a succeeded step's result (its memo) is saved; see <see cref="FanOutOptions.StepSaving"/>.</summary>
public enum StepSaving
{
    /// <summary>
    /// Committed before <c>step.Run</c> returns: once the function has the result, a crash can no longer make the step
    /// execute again.
    /// </summary>
    BeforeReturning,

    /// <summary>
    /// Saved before the next step starts, or with the attempt's end (the run's outcome, a retry, a sleep, a wait),
    /// whichever comes first: a run's last step and its outcome become one write. Safe for functions that keep their side
    /// effects inside steps (the determinism rules, FANOUT018/019): nothing outside a step can act on a result not saved
    /// yet. A crash before the save executes the step again, as a crash during the step would; code between steps that
    /// reports a step done to the outside world (a log line, a message) can then report it twice.
    /// </summary>
    WithNextWrite,
}
