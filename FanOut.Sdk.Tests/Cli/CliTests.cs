using System.Text;
using System.Text.Json;
using FanOut.Cli;
using FanOut.Runs;
using FanOut.Sqlite;
using FanOut.Stores;
using FanOut.Tests.Stores;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Tests.Cli;

/// <summary>The fanout tool, run in-process on a real SQLite file written by a real <see cref="SqliteStore"/>.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase database = new();
    private readonly FakeTimeProvider clock = new(Start);
    private SqliteStore? held;
    private string signupRun = "", chargeRun = "", shipRun = "";

    public async Task InitializeAsync()
    {
        // Three runs, a minute apart: signup succeeded (two steps), charge failed (a step failed after 3 attempts), ship
        // queued again after its first attempt, with one step saved that will be retried.
        var store = Open();
        var signup = Submission(1, "app/user.signup", "send-welcome-email");
        await store.AcceptAsync([signup], default);
        clock.Advance(TimeSpan.FromMinutes(1));
        var charge = Submission(2, "app/order.placed", "charge-card");
        await store.AcceptAsync([charge], default);
        Assert.Equal(2, (await store.ClaimAsync(10, default)).Runs.Count);
        await store.FinishAsync(new RunResult(signup.Runs[0].Id, "send-welcome-email", signup.Event.Id, "app/user.signup", RunStatus.Succeeded)
        {
            Output = Encoding.UTF8.GetBytes("""{"sent":true}"""),
            StartedAt = Start.AddMinutes(1),
            FinishedAt = Start.AddMinutes(1).AddSeconds(2),
            Steps =
            [
                new StepResult("create-customer", StepStatus.Succeeded, 1, Start.AddMinutes(1), Start.AddMinutes(1).AddMilliseconds(350), null, Encoding.UTF8.GetBytes("\"cus_1\"")),
                new StepResult("send-email", StepStatus.Succeeded, 2, Start.AddMinutes(1).AddSeconds(1), Start.AddMinutes(1).AddSeconds(2), null),
            ],
        }, default);
        var declined = new RunError("Payments.CardDeclinedException", "The card was declined.", "at Charge()");
        await store.FinishAsync(new RunResult(charge.Runs[0].Id, "charge-card", charge.Event.Id, "app/order.placed", RunStatus.Failed)
        {
            Error = declined,
            Attempts = 3,
            StartedAt = Start.AddMinutes(1),
            FinishedAt = Start.AddMinutes(1).AddSeconds(5),
            Steps = [new StepResult("charge", StepStatus.Failed, 3, Start.AddMinutes(1).AddSeconds(4), Start.AddMinutes(1).AddSeconds(5), declined)],
        }, default);
        clock.Advance(TimeSpan.FromMinutes(1));
        var ship = Submission(3, "app/order.placed", "ship-order");
        await store.AcceptAsync([ship], default);
        Assert.Single((await store.ClaimAsync(10, default)).Runs);
        var noBox = new RunError("Warehouse.OutOfBoxesException", "No boxes left.", null);
        await store.SaveStepAsync(ship.Runs[0].Id, new StepState("pack", StepStatus.Retrying, 1, null, noBox, Start.AddMinutes(2), Start.AddMinutes(2).AddMilliseconds(20)), default);
        Assert.Null(await store.RetryAsync(ship.Runs[0].Id, 0, Start.AddMinutes(3), null, default));
        await store.DisposeAsync();
        (signupRun, chargeRun, shipRun) = (signup.Runs[0].Id, charge.Runs[0].Id, ship.Runs[0].Id);
    }

    public async Task DisposeAsync()
    {
        if (held is not null)
        {
            await held.DisposeAsync();
        }
        database.Dispose();
    }

    [Fact]
    public async Task List_shows_runs_newest_first_in_an_aligned_table()
    {
        var (code, output, error) = await Run("runs", "list", "--store", database.Path);

        Assert.Equal((0, ""), (code, error));
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.StartsWith("RUN", lines[0], StringComparison.Ordinal);
        Assert.Equal([shipRun, chargeRun, signupRun], lines.Skip(1).Select(l => l.Split(' ')[0]));
        var statusColumn = lines[0].IndexOf("STATUS", StringComparison.Ordinal);
        Assert.Equal(["queued", "failed", "succeeded"], lines.Skip(1).Select(l => l[statusColumn..].Split(' ')[0]));
        Assert.Contains("Payments.CardDeclinedException: The card was declined.", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal); // not a terminal: no colour
    }

    [Fact]
    public async Task In_a_terminal_status_words_are_coloured_and_columns_stay_aligned()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await FanOutCli.RunAsync(["runs", "list", "--store", database.Path], new CliConsole(output, error, Colour: true, clock));

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("\u001b[31mfailed\u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[32msucceeded\u001b[0m", text, StringComparison.Ordinal);
        var plain = System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9]+m", "").TrimEnd().Split('\n');
        var accepted = plain[0].IndexOf("ACCEPTED", StringComparison.Ordinal);
        Assert.All(plain.Skip(1), line => Assert.Equal("2026-12-01", line.Substring(accepted, 10)));
    }

    [Fact]
    public async Task List_filters_by_function_event_status_and_time()
    {
        Assert.Equal([chargeRun], await ListedIds("--function", "charge-card"));
        Assert.Equal([shipRun, chargeRun], await ListedIds("--event", "app/order.placed"));
        Assert.Equal([signupRun], await ListedIds("--status", "succeeded"));
        Assert.Equal([shipRun, chargeRun], await ListedIds("--since", "2026-12-01T12:01Z"));
        Assert.Equal([signupRun], await ListedIds("--until", "2026-12-01T12:01:00Z"));
        Assert.Equal([shipRun], await ListedIds("--limit", "1"));
        // An age counts back from the tool's clock: the store's clock ended at 12:02, so 90s ago is 12:00:30.
        Assert.Equal([shipRun, chargeRun], await ListedIds("--since", "90s"));
    }

    [Fact]
    public async Task List_as_json_parses_back_with_a_stable_shape()
    {
        var (code, output, _) = await Run("runs", "list", "--store", database.Path, "--json");

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        var runs = document.RootElement.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal([shipRun, chargeRun, signupRun], runs.Select(r => r.GetProperty("runId").GetString()));
        var charge = runs[1];
        Assert.Equal("charge-card", charge.GetProperty("functionId").GetString());
        Assert.Equal("app/order.placed", charge.GetProperty("eventName").GetString());
        Assert.Equal("failed", charge.GetProperty("status").GetString());
        Assert.Equal(3, charge.GetProperty("attempts").GetInt32());
        Assert.Equal(Start.AddMinutes(1), charge.GetProperty("acceptedAt").GetDateTimeOffset());
        Assert.Equal(Start.AddMinutes(1).AddSeconds(5), charge.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.Equal("Payments.CardDeclinedException", charge.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, runs[0].GetProperty("finishedAt").ValueKind);
        Assert.Contains("\n  ", output, StringComparison.Ordinal); // indented
    }

    [Fact]
    public async Task Show_prints_the_run_then_its_steps_with_attempts_and_errors()
    {
        var (code, output, error) = await Run("runs", "show", chargeRun, "--store", database.Path);

        Assert.Equal((0, ""), (code, error));
        Assert.Matches($@"(?m)^Run\s+{chargeRun}$", output);
        Assert.Matches(@"(?m)^Status\s+failed$", output);
        Assert.Matches(@"(?m)^Attempts\s+3$", output);
        Assert.Matches(@"(?m)^Error\s+Payments\.CardDeclinedException: The card was declined\.$", output);
        var step = output.Split('\n').Single(l => l.StartsWith("charge ", StringComparison.Ordinal));
        Assert.Matches(@"^charge\s+failed\s+3\s+2026-12-01 12:01:04Z\s+1\.0s\s+Payments\.CardDeclinedException: The card was declined\.", step);
    }

    [Fact]
    public async Task Show_as_json_has_every_step_with_its_full_output()
    {
        var (code, output, _) = await Run("runs", "show", signupRun, "--store", database.Path, "--json");

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("succeeded", root.GetProperty("run").GetProperty("status").GetString());
        Assert.True(root.GetProperty("output").GetProperty("sent").GetBoolean());
        var steps = root.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(["create-customer", "send-email"], steps.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal("cus_1", steps[0].GetProperty("output").GetString());
        Assert.Equal(350, steps[0].GetProperty("durationMs").GetInt64());
        Assert.Equal(2, steps[1].GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Show_of_an_unfinished_run_gives_the_steps_saved_so_far_and_an_unknown_run_fails()
    {
        var (code, output, _) = await Run("runs", "show", shipRun, "--store", database.Path);
        Assert.Equal(0, code);
        Assert.Contains("The run is queued; the steps it has saved so far:", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^pack\s+retrying\s+1\s+2026-12-01 12:02:00Z\s+20ms\s+Warehouse\.OutOfBoxesException: No boxes left\.$", output);
        var json = await Run("runs", "show", shipRun, "--store", database.Path, "--json");
        using (var document = JsonDocument.Parse(json.Output))
        {
            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("output").ValueKind);
            Assert.Equal("retrying", document.RootElement.GetProperty("steps")[0].GetProperty("status").GetString());
        }

        var unknown = await Run("runs", "show", "01NOSUCHRUN", "--store", database.Path);
        Assert.Equal((1, ""), (unknown.Code, unknown.Output));
        Assert.Equal($"fanout: Run '01NOSUCHRUN' is not in the store '{database.Path}' (unknown, or pruned after it finished).", unknown.Error.TrimEnd());
    }

    [Fact]
    public async Task List_works_while_the_app_holds_the_store_and_sees_its_latest_commit()
    {
        held = Open();
        var late = Submission(4, "app/user.signup", "send-welcome-email");
        await held.AcceptAsync([late], default);

        var (code, output, error) = await Run("runs", "list", "--store", $"Data Source={database.Path}", "--json");

        Assert.Equal((0, ""), (code, error));
        using var document = JsonDocument.Parse(output);
        Assert.Equal(late.Runs[0].Id, document.RootElement.GetProperty("runs")[0].GetProperty("runId").GetString());
        // The app keeps writing after the tool read the file: the tool left no lock behind.
        Assert.Equal(CancelOutcome.Cancelled, (await held.CancelAsync(late.Runs[0].Id, "test", default)).Outcome);
    }

    [Fact]
    public async Task A_missing_file_or_a_bad_since_fails_with_one_clear_line()
    {
        var missing = Path.Combine(database.Directory, "nope.db");

        var noFile = await Run("runs", "list", "--store", missing);
        var badSince = await Run("runs", "list", "--store", database.Path, "--since", "yesterday");

        Assert.Equal((1, $"fanout: The SQLite store '{missing}' does not exist.\n"), (noFile.Code, noFile.Error.ReplaceLineEndings("\n")));
        Assert.False(File.Exists(missing)); // reading never creates a store
        Assert.Equal(
            (1, "fanout: --since 'yesterday' is neither an age (90s, 15m, 2h, 7d) nor a time (2026-12-01T10:00Z).\n"),
            (badSince.Code, badSince.Error.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task Reading_leaves_the_store_file_as_it_was()
    {
        var bytes = File.ReadAllBytes(database.Path);
        var written = File.GetLastWriteTimeUtc(database.Path);

        Assert.Equal(0, (await Run("runs", "list", "--store", database.Path)).Code);
        Assert.Equal(0, (await Run("runs", "show", chargeRun, "--store", database.Path)).Code);

        Assert.Equal(bytes, File.ReadAllBytes(database.Path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(database.Path));
        Assert.False(File.Exists(database.Path + ".lock.owner")); // no lock was taken
        // With no app holding the file, SQLite makes its WAL index (-shm) and an empty -wal for the read-only reader;
        // nothing is written to them, and the store reuses them when it next opens.
        Assert.Equal(0, new FileInfo(database.Path + "-wal").Length);
    }

    [Fact]
    public async Task A_file_that_is_not_a_FanOut_store_is_refused()
    {
        var other = Path.Combine(database.Directory, "other.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={other};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE unrelated (x INTEGER);";
            command.ExecuteNonQuery();
        }

        var (code, _, error) = await Run("runs", "list", "--store", other);

        Assert.Equal(1, code);
        Assert.Equal($"fanout: '{other}' is not a FanOut SQLite store (its schema version is 0).", error.TrimEnd());
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        Assert.Equal(2, (await Run("runs", "list")).Code); // --store is required
        Assert.Equal(2, (await Run("runs", "list", "--store", database.Path, "--status", "done")).Code);
        Assert.Equal(2, (await Run("runs", "list", "--store", database.Path, "--limit", "0")).Code);
        Assert.Equal(2, (await Run("runs", "frobnicate")).Code);
    }

    [Fact]
    public async Task Cancel_ends_a_queued_run_when_no_app_holds_the_store()
    {
        var (code, output, error) = await Run("runs", "cancel", shipRun, "--store", database.Path);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal($"Run {shipRun} was cancelled.", output.TrimEnd());
        Assert.Equal([shipRun], await ListedIds("--status", "cancelled"));
        var again = await Run("runs", "cancel", shipRun, "--store", database.Path);
        Assert.Equal($"Run {shipRun} had already finished; nothing changed.", again.Output.TrimEnd());
    }

    [Fact]
    public async Task Cancel_says_which_process_holds_the_store_and_changes_nothing()
    {
        held = Open();

        var (code, output, error) = await Run("runs", "cancel", shipRun, "--store", database.Path);

        Assert.Equal((1, ""), (code, output));
        Assert.Equal(
            $"fanout: The store '{database.Path}' is in use by process {Environment.ProcessId} on {Environment.MachineName}; " +
            "stop it, or cancel through IFanOutAdmin in the app.",
            error.TrimEnd());
        Assert.Equal(RunStatus.Queued, Assert.Single(await held.ListRunsAsync(new RunQuery { FunctionId = "ship-order" }, default)).Status);
    }

    [Fact]
    public async Task Replay_starts_every_failed_run_a_query_matches_again_as_a_new_queued_run_of_the_same_event()
    {
        var dry = await Run("runs", "replay", "--store", database.Path, "--function", "charge-card", "--since", "1h", "--dry-run");
        Assert.Equal((0, ""), (dry.Code, dry.Error));
        Assert.Contains("Dry run: 1 run(s) would be replayed (from-start).", dry.Output);
        Assert.Empty(await ListedIds("--function", "charge-card", "--status", "queued"));

        var (code, output, error) = await Run("runs", "replay", "--store", database.Path, "--function", "charge-card", "--since", "1h", "--json");

        Assert.Equal((0, ""), (code, error));
        using var document = JsonDocument.Parse(output);
        var replay = Assert.Single(document.RootElement.GetProperty("replays").EnumerateArray().ToArray());
        Assert.Equal((chargeRun, "charge-card"), (replay.GetProperty("runId").GetString(), replay.GetProperty("functionId").GetString()));
        var newRun = replay.GetProperty("newRunId").GetString()!;
        Assert.Equal([newRun], await ListedIds("--function", "charge-card", "--status", "queued"));
        await using var store = Open();
        var claimed = Assert.Single((await store.ClaimAsync(10, default)).Runs, r => r.Run.Id == newRun);
        Assert.Equal(("charge-card", "app/order.placed"), (claimed.Run.FunctionId, claimed.Run.Event.Name));
    }

    [Fact]
    public async Task Replay_of_a_run_that_has_not_finished_is_refused_and_an_unknown_run_fails()
    {
        var (code, output, _) = await Run("runs", "replay", shipRun, "--store", database.Path);
        var unknown = await Run("runs", "replay", "01NOSUCHRUN000000000000000", "--store", database.Path);

        Assert.Equal(0, code);
        Assert.Contains("refused: run " + shipRun + " has not finished", output);
        Assert.Contains("0 run(s) replayed (from-start)", output);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("is not in the store", unknown.Error);
    }

    [Fact]
    public async Task Events_are_listed_newest_first_with_their_runs_and_filtered_by_name()
    {
        var (code, output, error) = await Run("events", "list", "--store", database.Path);
        var placed = await Run("events", "list", "--store", database.Path, "--name", "app/order.placed", "--json");

        Assert.Equal((0, ""), (code, error));
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(["EVENT", "NAME", "ACCEPTED", "RUNS", "DATA"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("01EVENT0000000000000000003  app/order.placed", lines[1]);
        using var document = JsonDocument.Parse(placed.Output);
        var events = document.RootElement.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(["01EVENT0000000000000000003", "01EVENT0000000000000000002"], events.Select(e => e.GetProperty("id").GetString()));
        Assert.All(events, e => Assert.Equal(1, e.GetProperty("runs").GetInt32()));
    }

    private async Task<string[]> ListedIds(params string[] filters)
    {
        var (code, output, error) = await Run(["runs", "list", "--store", database.Path, "--json", .. filters]);
        Assert.True(code == 0, error);
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!)];
    }

    private async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FanOutCli.RunAsync(args, new CliConsole(output, error, Colour: false, clock));
        return (code, output.ToString(), error.ToString());
    }

    private SqliteStore Open() => new(new SqliteStoreOptions { ConnectionString = database.Path, PruneInterval = Timeout.InfiniteTimeSpan }, clock);

    private EventSubmission Submission(int n, string name, string functionId)
    {
        var evt = new StoredEvent($"01EVENT{n:D19}", name, "{}"u8.ToArray(), clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new EventSubmission(evt, [new RunRecord($"01RUN{n:D21}", functionId, evt)]);
    }
}
