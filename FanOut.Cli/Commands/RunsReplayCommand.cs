using System.CommandLine;
using FanOut.Cli.Output;
using FanOut.Ids;
using FanOut.Cli.Stores;
using FanOut.Stores;

namespace FanOut.Cli.Commands;

/// <summary>
/// <c>fanout runs replay</c>: starts finished runs again as new runs of the same event — one run by id, or every run a
/// query matches (failed ones by default), as Inngest's Bulk Replay. From scratch by default; <c>--keep-steps</c> keeps
/// the succeeded steps' results so the new run resumes from the step that failed. The new runs are queued in the store
/// and run when the app next starts (a SQLite file is one process's: the app must be stopped; a running app replays
/// through <c>IFanOutAdmin.ReplayRunsAsync</c>).
/// </summary>
internal static class RunsReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var runId = new Argument<string?>("runId") { Description = "One run to replay; without it, every run the filters match.", Arity = ArgumentArity.ZeroOrOne };
        var store = CommonOptions.Store();
        var schema = CommonOptions.Schema();
        var json = CommonOptions.Json();
        var function = new Option<string>("--function", "-f") { Description = "Only runs of this function id." };
        var eventName = new Option<string>("--event", "-e") { Description = "Only runs started by events of this name." };
        var status = new Option<string>("--status") { Description = "Only runs that ended so.", DefaultValueFactory = _ => "failed" };
        status.AcceptOnlyFromAmong("failed", "cancelled", "timed-out", "succeeded");
        var since = new Option<string>("--since") { Description = "Only runs whose event was accepted at or after: an age (2h, 30m, 7d) or a time (2026-12-01T10:00Z)." };
        var until = new Option<string>("--until") { Description = "Only runs whose event was accepted before: an age or a time." };
        var limit = CommonOptions.Limit("runs", 1000);
        var keepSteps = new Option<bool>("--keep-steps") { Description = "Keep the succeeded steps' results: resume from the failed step instead of starting from scratch." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be replayed." };

        var command = new Command("replay", "Replay finished runs as new runs of the same events (the app must not be holding the store).")
        {
            runId, store, schema, function, eventName, status, since, until, limit, keepSteps, dryRun, json,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = parsed.GetValue(store)!;
            var one = parsed.GetValue(runId);
            await using var target = CliStores.Open(location, parsed.GetValue(schema)!);
            IReadOnlyList<RunSummary> runs = one is not null
                ? [await target.GetRunAsync(one, cancellationToken).ConfigureAwait(false)
                    ?? throw new CliException($"Run '{one}' is not in the store '{target.Name}'.")]
                : await target.ListRunsAsync(new RunQuery
                {
                    FunctionId = parsed.GetValue(function),
                    EventName = parsed.GetValue(eventName),
                    Status = StatusWords.ParseRun(parsed.GetValue(status)),
                    Since = TimeArgument.Parse(parsed.GetValue(since), "--since", console.Time),
                    Until = TimeArgument.Parse(parsed.GetValue(until), "--until", console.Time),
                    Limit = parsed.GetValue(limit),
                }, cancellationToken).ConfigureAwait(false);
            var keep = parsed.GetValue(keepSteps);
            var dry = parsed.GetValue(dryRun);
            IReadOnlyList<ReplayOutcome> outcomes;
            if (dry || runs.Count == 0)
            {
                outcomes = [.. runs.Select(r => new ReplayOutcome(r.RunId, null, null))];
            }
            else
            {
                var now = console.Time.GetUtcNow().ToUnixTimeMilliseconds();
                var requests = runs.Select(r => new ReplayRequest(r.RunId, Ulid.Shared.New(now), keep, CancelOn: null)).ToArray();
                outcomes = await target.ReplayAsync(requests, cancellationToken).ConfigureAwait(false);
            }
            var functions = runs.ToDictionary(r => r.RunId, r => r.FunctionId);
            var mode = keep ? "keep-steps" : "from-start";
            if (parsed.GetValue(json))
            {
                Json.Write(console.Out, new ReplayListJson(mode, dry, [.. outcomes.Select(o => new ReplayJson(o.RunId, functions[o.RunId], o.NewRunId, o.Refused))]),
                    FanOutCliJson.Default.ReplayListJson);
                return ExitCodes.Success;
            }
            if (outcomes.Count == 0)
            {
                console.Out.WriteLine("No runs match; nothing was replayed.");
                return ExitCodes.Success;
            }
            var table = new Table("RUN", "FUNCTION", dry ? "WOULD REPLAY" : "NEW RUN");
            foreach (var outcome in outcomes)
            {
                table.Add(outcome.RunId, functions[outcome.RunId], outcome.NewRunId ?? (dry ? "yes" : "refused: " + outcome.Refused));
            }
            table.WriteTo(console.Out, console.Colour);
            int replayed = outcomes.Count(o => o.NewRunId is not null);
            console.Out.WriteLine(dry
                ? $"Dry run: {outcomes.Count} run(s) would be replayed ({mode})."
                : $"{replayed} run(s) replayed ({mode}); {target.WhenReplayedRunsRun}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
