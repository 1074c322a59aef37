using System.CommandLine;
using FanOut.Cli.Output;
using FanOut.Cli.Stores;
using FanOut.Stores;

namespace FanOut.Cli.Commands;

/// <summary><c>fanout runs list</c>: runs newest first, filtered by function, event, status and time.</summary>
internal static class RunsListCommand
{
    public static Command Create(CliConsole console)
    {
        var store = CommonOptions.Store();
        var schema = CommonOptions.Schema();
        var json = CommonOptions.Json();
        var function = new Option<string>("--function", "-f") { Description = "Only runs of this function id." };
        var eventName = new Option<string>("--event", "-e") { Description = "Only runs started by events of this name." };
        var status = new Option<string>("--status") { Description = "Only runs in this state." };
        status.AcceptOnlyFromAmong(StatusWords.RunWords);
        var since = new Option<string>("--since") { Description = "Only runs whose event was accepted at or after: an age (2h, 30m, 7d) or a time (2026-12-01T10:00Z)." };
        var until = new Option<string>("--until") { Description = "Only runs whose event was accepted before: an age or a time." };
        var limit = CommonOptions.Limit("runs", 50);

        var command = new Command("list", "List runs, newest first.") { store, schema, function, eventName, status, since, until, limit, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var query = new RunQuery
            {
                FunctionId = parsed.GetValue(function),
                EventName = parsed.GetValue(eventName),
                Status = StatusWords.ParseRun(parsed.GetValue(status)),
                Since = TimeArgument.Parse(parsed.GetValue(since), "--since", console.Time),
                Until = TimeArgument.Parse(parsed.GetValue(until), "--until", console.Time),
                Limit = parsed.GetValue(limit),
            };
            await using var reader = CliStores.Open(parsed.GetValue(store)!, parsed.GetValue(schema)!);
            var runs = await reader.ListRunsAsync(query, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                Json.Write(console.Out, new RunListJson([.. runs.Select(RunJson.From)]), FanOutCliJson.Default.RunListJson);
                return ExitCodes.Success;
            }
            if (runs.Count == 0)
            {
                console.Out.WriteLine("No runs match.");
                return ExitCodes.Success;
            }
            var table = new Table("RUN", "FUNCTION", "EVENT", "STATUS", "ATTEMPTS", "ACCEPTED", "DURATION", "ERROR");
            foreach (var run in runs)
            {
                table.Add(
                    run.RunId,
                    run.FunctionId,
                    run.EventName,
                    Cell.Status(StatusWords.Of(run.Status)),
                    run.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Formats.Time(run.AcceptedAt),
                    Formats.Duration(run.AcceptedAt, run.FinishedAt),
                    Cell.Clipped(Formats.Error(run.Error), 60));
            }
            table.WriteTo(console.Out, console.Colour);
            return ExitCodes.Success;
        });
        return command;
    }
}
