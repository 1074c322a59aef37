namespace FanOut.CrashHost;

/// <summary>One unit of the crash test's work: every function of the event runs <see cref="Steps"/> steps in sequence.</summary>
/// <param name="Number">The event's position in what the child sends, for the reader of a failure.</param>
/// <param name="Steps">How many steps each run executes.</param>
[Event("crash/work")]
public sealed record CrashWork(int Number, int Steps);

/// <summary>
/// Two functions of the same event, so each event fans out to two runs. Each step reports itself through
/// <see cref="Evidence"/>: "exec" in the executions log before its work, "done" on stdout once its result is stored.
/// </summary>
public sealed class CrashFunctions(Evidence evidence)
{
    /// <summary>The first run of every event.</summary>
    [Function("crash-left", Event = "crash/work")]
    public Task LeftAsync(CrashWork work, Step step) => StepsAsync(work, step);

    /// <summary>The second run of every event.</summary>
    [Function("crash-right", Event = "crash/work")]
    public Task RightAsync(CrashWork work, Step step) => StepsAsync(work, step);

    private async Task StepsAsync(CrashWork work, Step step)
    {
        for (int i = 0; i < work.Steps; i++)
        {
            // One call site in the loop: the engine numbers the repeats "step", "step:1", "step:2", … and the test
            // checks that the stored steps carry exactly these ids.
            var stepId = i == 0 ? "step" : $"step:{i}";
            var executed = false;
            await step.Run("step", async () =>
            {
                executed = true;
                await evidence.ExecuteAsync(step.RunId, stepId);
                return $"{step.RunId}/{stepId}";
            });
            // Step.Run returns only after the store committed the step's result: from here on, the step must never
            // execute again. A memoized step (executed = false) was reported by the process that ran it.
            if (executed)
            {
                evidence.Done(step.RunId, stepId);
            }
        }
    }
}
