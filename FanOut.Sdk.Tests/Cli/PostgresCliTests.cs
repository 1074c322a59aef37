using System.Text;
using System.Text.Json;
using FanOut.Cli;
using FanOut.PostgreSql;
using FanOut.Runs;
using FanOut.Stores;
using FanOut.Tests.Stores.Postgres;

namespace FanOut.Tests.Cli;

/// <summary>The same commands on a PostgreSQL store, beside a live node (no one-process rule there).</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresCliTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string schema = PostgresServer.NewSchema();
    private PostgresStore node = null!;

    public async Task InitializeAsync()
    {
        node = new PostgresStore(new PostgresStoreOptions
        {
            ConnectionString = server.ConnectionString,
            Schema = schema,
            PruneInterval = Timeout.InfiniteTimeSpan,
            PollInterval = Timeout.InfiniteTimeSpan,
        });
        await node.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await server.DropSchemaAsync(schema);
    }

    [Fact]
    public async Task List_show_replay_and_cancel_work_on_a_PostgreSQL_store_while_a_node_holds_it()
    {
        var failed = Submission(1, "app/order.placed", "charge-card");
        var queued = Submission(2, "app/order.placed", "ship-order");
        await node.AcceptAsync([failed], default);
        var claimed = Assert.Single((await node.ClaimAsync(1, default)).Runs);
        var now = DateTimeOffset.UtcNow;
        await node.SaveStepAsync(claimed.Run.Id, new StepState("charge", StepStatus.Failed, 3, null, new RunError("E", "declined", null), now, now), default);
        await node.FinishAsync(new RunResult(claimed.Run.Id, "charge-card", failed.Event.Id, "app/order.placed", RunStatus.Failed)
        {
            Error = new RunError("E", "declined", null), StartedAt = now, FinishedAt = now,
        }, default);
        await node.AcceptAsync([queued], default);

        var list = await Run("runs", "list", "--json");
        var show = await Run("runs", "show", claimed.Run.Id);
        var replay = await Run("runs", "replay", "--function", "charge-card", "--json");
        var cancel = await Run("runs", "cancel", queued.Runs[0].Id);
        var events = await Run("events", "list");

        Assert.Equal(0, list.Code);
        using (var document = JsonDocument.Parse(list.Output))
        {
            Assert.Equal([queued.Runs[0].Id, claimed.Run.Id], document.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        }
        Assert.Equal(0, show.Code);
        Assert.Contains("declined", show.Output);
        Assert.Equal((0, ""), (replay.Code, replay.Error));
        using (var document = JsonDocument.Parse(replay.Output))
        {
            var newRunId = Assert.Single(document.RootElement.GetProperty("replays").EnumerateArray().ToArray()).GetProperty("newRunId").GetString();
            var replayed = Assert.Single((await node.ClaimAsync(10, default)).Runs, r => r.Run.Id == newRunId);
            Assert.Equal(("charge-card", failed.Event.Id), (replayed.Run.FunctionId, replayed.Run.Event.Id));
        }
        Assert.Equal((0, $"Run {queued.Runs[0].Id} was cancelled."), (cancel.Code, cancel.Output.TrimEnd()));
        Assert.Equal(0, events.Code);
        Assert.Contains("app/order.placed", events.Output);
    }

    private async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FanOutCli.RunAsync([.. args, "--store", server.ConnectionString, "--schema", schema], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private EventSubmission Submission(int n, string name, string functionId)
    {
        var evt = new StoredEvent($"01EVENT{n:D19}", name, "{}"u8.ToArray(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new EventSubmission(evt, [new RunRecord($"01RUN{n:D21}", functionId, evt)]);
    }
}
