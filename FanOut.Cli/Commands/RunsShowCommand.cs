using System.CommandLine;
using System.Globalization;
using System.Text;
using FanOut.Cli.Output;
using FanOut.Cli.Stores;
using FanOut.Stores;

namespace FanOut.Cli.Commands;

/// <summary><c>fanout runs show</c>: one run's summary, then its steps with attempts, timings and errors.</summary>
internal static class RunsShowCommand
{
    public static Command Create(CliConsole console)
    {
        var runId = CommonOptions.RunId();
        var store = CommonOptions.Store();
        var schema = CommonOptions.Schema();
        var json = CommonOptions.Json();
        var command = new Command("show", "Show one run with its steps, attempts, errors and timings.") { runId, store, schema, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var id = parsed.GetValue(runId)!;
            await using var reader = CliStores.Open(parsed.GetValue(store)!, parsed.GetValue(schema)!);
            var run = await reader.GetRunAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException($"Run '{id}' is not in the store '{reader.Name}' (unknown, or pruned after it finished).");
            // A finished run's steps are in its result; an unfinished one shows the steps it has saved so far.
            var result = await reader.GetResultAsync(id, cancellationToken).ConfigureAwait(false);
            var steps = result?.Steps ?? await reader.GetSavedStepsAsync(id, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                Json.Write(console.Out, Detail(run, result, steps), FanOutCliJson.Default.RunDetailJson);
                return ExitCodes.Success;
            }
            Write(console, run, result, steps);
            return ExitCodes.Success;
        });
        return command;
    }

    private static RunDetailJson Detail(RunSummary run, RunResult? result, IReadOnlyList<StepResult> steps) => new(
        RunJson.From(run),
        result?.StartedAt,
        result is null ? null : (long)(result.FinishedAt - run.AcceptedAt).TotalMilliseconds,
        Json.Element(result?.Output),
        [.. steps.Select(StepJson.From)]);

    private static void Write(CliConsole console, RunSummary run, RunResult? result, IReadOnlyList<StepResult> steps)
    {
        var output = console.Out;
        var status = StatusWords.Of(run.Status);
        var fields = Table.Fields();
        fields.Add("Run", run.RunId);
        fields.Add("Function", run.FunctionId);
        fields.Add("Event", $"{run.EventName} ({run.EventId})");
        fields.Add("Status", Cell.Status(status));
        fields.Add("Attempts", run.Attempts.ToString(CultureInfo.InvariantCulture));
        fields.Add("Accepted", Formats.Time(run.AcceptedAt));
        if (result is not null)
        {
            fields.Add("Last start", Formats.Time(result.StartedAt));
        }
        if (run.FinishedAt is { } finished)
        {
            fields.Add("Finished", $"{Formats.Time(finished)} ({Formats.Duration(run.AcceptedAt, finished)} after it was accepted)");
        }
        if (run.Error is { } error)
        {
            fields.Add("Error", Cell.Clipped(Formats.Error(error), 200));
        }
        if (result?.Output is { IsEmpty: false } json)
        {
            fields.Add("Output", Cell.Clipped(Encoding.UTF8.GetString(json.Span), 200));
        }
        fields.WriteTo(output, console.Colour);
        output.WriteLine();
        if (steps.Count == 0)
        {
            output.WriteLine(result is null ? $"The run is {status} and has saved no step yet." : "No steps.");
            return;
        }
        if (result is null)
        {
            output.WriteLine($"The run is {status}; the steps it has saved so far:");
        }
        var table = new Table("STEP", "STATUS", "ATTEMPTS", "STARTED", "DURATION", "ERROR / OUTPUT");
        foreach (var step in steps)
        {
            var detail = step.Error is { } stepError
                ? Formats.Error(stepError)
                : step.Output is { IsEmpty: false } stepOutput ? Encoding.UTF8.GetString(stepOutput.Span) : "";
            table.Add(
                step.Id,
                Cell.Status(StatusWords.Of(step.Status)),
                step.Attempts.ToString(CultureInfo.InvariantCulture),
                Formats.Time(step.StartedAt),
                Formats.Duration(step.StartedAt, step.FinishedAt),
                Cell.Clipped(detail, 60));
        }
        table.WriteTo(output, console.Colour);
    }
}
