using FanOut.Stores;

namespace FanOut.Sqlite.Writing;

/// <summary>Saves a step's memo: one row per (run, step), replaced in place. Only a running run's steps can be saved.</summary>
internal sealed class SaveStepWrite(string runId, StepState step, CancellationToken cancellationToken) : StoreWrite<bool>(cancellationToken)
{
    internal const string Save = """
        INSERT INTO steps (run_id, step_id, status, attempts, output, error_type, error_message, error_stack, started_at, finished_at)
        SELECT $run, $step, $status, $attempts, $output, $error_type, $error_message, $error_stack, $started_at, $finished_at
        WHERE EXISTS (SELECT 1 FROM runs WHERE id = $run AND status = 1)
        ON CONFLICT (run_id, step_id) DO UPDATE SET
            status = excluded.status, attempts = excluded.attempts, output = excluded.output,
            error_type = excluded.error_type, error_message = excluded.error_message, error_stack = excluded.error_stack,
            started_at = excluded.started_at, finished_at = excluded.finished_at;
        """;

    public override int StepsSaved => Error is null ? 1 : 0;

    protected override bool Run(WriteContext context)
    {
        var changed = context.Command(Save).WithStep(runId, step).ExecuteNonQuery();
        return changed == 1 ? true : throw RunEndWrites.NotRunning(runId, context);
    }
}
