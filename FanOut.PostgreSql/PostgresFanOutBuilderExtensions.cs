using FanOut.Functions;
using FanOut.PostgreSql;
using FanOut.PostgreSql.Health;
using FanOut.Runs;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FanOut;

/// <summary>Chooses the PostgreSQL store for FanOut.</summary>
public static class PostgresFanOutBuilderExtensions
{
    /// <summary>
    /// Keeps FanOut's events, runs and steps in PostgreSQL, shared by every node that points at the same database and
    /// schema. The schema is created and migrated on first use. This node claims only runs of the functions it hosts;
    /// NOTIFY wakes its worker when another node queues work.
    /// </summary>
    /// <param name="builder">The builder from <c>AddFanOut()</c>.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Optional further settings (schema, lease, polling, producer-only).</param>
    /// <returns>The builder.</returns>
    public static FanOutBuilder UsePostgres(this FanOutBuilder builder, string connectionString, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgresStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        builder.Services.Replace(ServiceDescriptor.Singleton<IFanOutStore>(sp =>
        {
            var fanout = sp.GetRequiredService<IOptions<FanOutOptions>>().Value;
            if (!fanout.StartWorker)
            {
                options.ClaimRuns = false; // a process that only accepts events is a producer-only node
            }
            if (options.FunctionIds is null)
            {
                // A node claims only what it can run: in a rolling deploy, old nodes leave new functions' runs to new nodes.
                options.FunctionIds = [.. sp.GetRequiredService<FunctionCatalog>().All.Select(f => f.Id)];
            }
            var signal = sp.GetRequiredService<WorkSignal>();
            return new PostgresStore(options, fanout.TimeProvider)
            {
                WakeWorker = signal.Set,
                // A run may finish on another node: this node's WaitForRunAsync callers learn of it by NOTIFY. (Resolved
                // when a notification arrives: the waiters depend on the store, so not here.)
                RunFinished = runId => _ = RefreshWaitersAsync(sp.GetRequiredService<RunWaiters>(), runId),
                // A cancel request made on another node reaches the attempt running here with the next lease renewal.
                CancelRequested = (runId, reason) => sp.GetRequiredService<Worker.RunCancellations>().Cancel(runId, reason),
            };
        }));
        return builder;
    }

    private static async Task RefreshWaitersAsync(RunWaiters waiters, string? runId)
    {
        try
        {
            await waiters.RefreshAsync(runId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (FanOutStoreException)
        {
            // Unreachable for now: the listener reconnects, then refreshes every waiter.
        }
    }

    /// <summary>
    /// Registers the health check <c>fanout-postgres</c>: whether the database answers (within the check's time) with
    /// the schema this node needs, and whether the worker keeps its leases and its NOTIFY listener.
    /// </summary>
    /// <param name="builder">The builder from <c>AddFanOut().UsePostgres(…)</c>.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags, such as <c>ready</c>.</param>
    /// <returns>The builder.</returns>
    public static FanOutBuilder AddFanOutHealthChecks(this FanOutBuilder builder, string name = "fanout-postgres", params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            sp => new PostgresHealthCheck(sp.GetRequiredService<IFanOutStore>() as PostgresStore
                ?? throw new InvalidOperationException("AddFanOutHealthChecks checks the PostgreSQL store: call UsePostgres(…) first.")),
            HealthStatus.Unhealthy,
            tags));
        return builder;
    }
}
