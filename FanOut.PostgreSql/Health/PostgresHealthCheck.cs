using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FanOut.PostgreSql.Health;

/// <summary>
/// Reports the PostgreSQL store: unhealthy when the database does not answer or its schema is not the one this node
/// needs, or when the worker holds runs whose leases it has not renewed for a lease's length (other nodes are taking
/// them over); degraded while the NOTIFY listener reconnects (polling still finds work); healthy otherwise.
/// </summary>
internal sealed class PostgresHealthCheck(PostgresStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["schema"] = store.Options.Schema,
            ["heldRuns"] = store.HeldRuns,
            ["lostLeases"] = store.LostLeases,
            ["listenerConnected"] = store.ListenerConnected,
        };
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The PostgreSQL store is unreachable or not ready: {ex.Message}", ex, data);
        }
        var (lastRenewal, lastFailure) = store.Renewals;
        if (lastRenewal is { } renewed)
        {
            data["lastLeaseRenewal"] = renewed;
        }
        if (store.HeldRuns > 0 && lastFailure is not null && (lastRenewal is null || DateTimeOffset.UtcNow - lastRenewal > store.Options.LeaseDuration))
        {
            return HealthCheckResult.Unhealthy(
                $"The worker holds {store.HeldRuns} run(s) but has not renewed their leases for longer than {store.Options.LeaseDuration}: {lastFailure.Message}", lastFailure, data);
        }
        if (store.Options.ClaimRuns && store.Options.ListenForWork && store.HeldRuns + store.LostLeases > 0 && !store.ListenerConnected)
        {
            return HealthCheckResult.Degraded("The NOTIFY listener is reconnecting; idle workers find work by polling meanwhile.", null, data);
        }
        return HealthCheckResult.Healthy($"The PostgreSQL store answers; the worker holds {store.HeldRuns} run(s).", data);
    }
}
