using System.CommandLine;
using FanOut.Cli.Output;
using FanOut.Cli.Stores;
using FanOut.Stores;

namespace FanOut.Cli.Commands;

/// <summary>
/// <c>fanout runs cancel</c>: cancels a run. On a SQLite file (one process's) this works only while the app is stopped;
/// while it runs, the app cancels through <c>IFanOutAdmin</c>.
/// </summary>
internal static class RunsCancelCommand
{
    public static Command Create(CliConsole console)
    {
        var runId = CommonOptions.RunId();
        var store = CommonOptions.Store();
        var schema = CommonOptions.Schema();
        var json = CommonOptions.Json();
        var reason = new Option<string>("--reason") { Description = "Why, kept as the run's error.", DefaultValueFactory = _ => "Cancelled with the fanout command-line tool." };
        var command = new Command("cancel", "Cancel a run (the app must not be holding the store).") { runId, store, schema, reason, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var id = parsed.GetValue(runId)!;
            var location = parsed.GetValue(store)!;
            await using var target = CliStores.Open(location, parsed.GetValue(schema)!);
            var result = await target.CancelAsync(id, parsed.GetValue(reason)!, cancellationToken).ConfigureAwait(false);
            var (outcome, sentence) = result.Outcome switch
            {
                CancelOutcome.Cancelled => ("cancelled", $"Run {id} was cancelled."),
                CancelOutcome.Requested => ("requested", $"Run {id} {target.WhenCancelRequested}."),
                CancelOutcome.AlreadyFinished => ("already-finished", $"Run {id} had already finished; nothing changed."),
                _ => throw new CliException($"Run '{id}' is not in the store '{target.Name}'."),
            };
            if (parsed.GetValue(json))
            {
                var status = result.Ended is { } ended ? StatusWords.Of(ended.Status) : null;
                Json.Write(console.Out, new CancelJson(id, outcome, status), FanOutCliJson.Default.CancelJson);
            }
            else
            {
                console.Out.WriteLine(sentence);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
