namespace FanOut.Testing;

/// <summary>A finished run as a test sees it: its outcome, the steps that really ran (in order) and those answered by mocks.</summary>
public sealed class TestRun
{
    internal TestRun(RunResult result, IReadOnlyCollection<string> mocked)
    {
        Result = result;
        MockedSteps = [.. mocked.Order(StringComparer.Ordinal)];
        Steps = [.. result.Steps.Where(s => !mocked.Contains(s.Id)).OrderBy(s => s.StartedAt)];
    }

    /// <summary>The run's outcome as the engine recorded it.</summary>
    public RunResult Result { get; }

    /// <summary>The run id.</summary>
    public string RunId => Result.RunId;

    /// <summary>The function id.</summary>
    public string FunctionId => Result.FunctionId;

    /// <summary>How the run ended.</summary>
    public RunStatus Status => Result.Status;

    /// <summary>How many attempts it took.</summary>
    public int Attempts => Result.Attempts;

    /// <summary>The error, for a run that did not succeed.</summary>
    public RunError? Error => Result.Error;

    /// <summary>The steps whose bodies ran, in the order they started (a stable sort: steps started at the same instant keep the run's order).</summary>
    public IReadOnlyList<StepResult> Steps { get; }

    /// <summary>The ids of the steps answered by a mock instead of running.</summary>
    public IReadOnlyList<string> MockedSteps { get; }

    /// <summary>The result of step <paramref name="stepId"/> (run or mocked), read through the generated serializer.</summary>
    /// <exception cref="InvalidOperationException">The run has no such step, or it stored no result.</exception>
    public T StepOutput<T>(string stepId) =>
        (Result.Steps.FirstOrDefault(s => s.Id == stepId)
            ?? throw new InvalidOperationException($"Run {RunId} of '{FunctionId}' has no step '{stepId}'; it has: {string.Join(", ", Result.Steps.Select(s => s.Id))}."))
        .GetOutput<T>();

    /// <summary>The output, read through the generated serializer.</summary>
    public T Output<T>() => Result.GetOutput<T>();

    /// <inheritdoc />
    public override string ToString() => Result.ToString();
}
