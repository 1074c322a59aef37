using System.Collections.Concurrent;
using Npgsql;

namespace FanOut.PostgreSql.Leases;

/// <summary>
/// The runs this store holds, each with the lease epoch its claim was given, and the loop that renews their leases on the
/// database's clock. Every write of a run's attempt carries its epoch; a run another node took over (after this node's
/// lease expired) has a newer epoch, and the write is refused.
/// </summary>
internal sealed class LeaseKeeper(PostgresDatabase db) : IAsyncDisposable
{
    /// <summary>
    /// Called for a held run that was asked to cancel (on any node: the admin, or a cancelling event accepted elsewhere):
    /// renewals carry the request here, so the run is stopped within a renewal interval wherever the request was made.
    /// </summary>
    public Action<string, string>? CancelRequested { get; set; }

    private const string Renew = """
        UPDATE {s}.runs r SET lease_expires_at = {s}.now_ms() + @lease
        FROM unnest(@ids, @epochs) AS held(id, epoch)
        WHERE r.id = held.id AND r.lease_epoch = held.epoch AND r.status = 1
        RETURNING r.id, r.cancel_reason;
        """;

    private readonly ConcurrentDictionary<string, long> held = new(StringComparer.Ordinal);

    // Runs whose lease renewal found them taken over: no longer renewed, but still known until their attempt ends, so
    // that its writes are refused as lost rather than as never claimed.
    private readonly ConcurrentDictionary<string, long> lostRuns = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;
    private int started;

    /// <summary>When the last renewal succeeded (real time), or null before the first.</summary>
    public DateTimeOffset? LastRenewal { get; private set; }

    /// <summary>The last renewal's failure, cleared by a success.</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>How many leases renewals found lost (taken over by another node) since the store opened.</summary>
    public long LostLeases => Interlocked.Read(ref lost);

    private long lost;

    public int Count => held.Count;

    public void Hold(string runId, long epoch)
    {
        held[runId] = epoch;
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            loop = Task.Run(() => RenewLoopAsync(stop.Token));
        }
    }

    public bool TryGetEpoch(string runId, out long epoch) => held.TryGetValue(runId, out epoch) || lostRuns.TryGetValue(runId, out epoch);

    /// <summary>Stops renewing the run's lease (taken over) but keeps its epoch until the attempt ends.</summary>
    public void MarkLost(string runId)
    {
        if (held.TryRemove(runId, out var epoch))
        {
            lostRuns[runId] = epoch;
        }
    }

    /// <summary>Forgets the run: its attempt ended.</summary>
    public void Drop(string runId)
    {
        held.TryRemove(runId, out _);
        lostRuns.TryRemove(runId, out _);
    }

    /// <summary>Test hook: stops renewing, as a stalled process would.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stop.Dispose();
    }

    /// <summary>Renews every held lease once. Returns how many were renewed.</summary>
    public async Task<int> RenewAsync(CancellationToken cancellationToken)
    {
        var snapshot = held.ToArray();
        if (snapshot.Length == 0)
        {
            LastRenewal = DateTimeOffset.UtcNow;
            return 0;
        }
        var ids = new string[snapshot.Length];
        var epochs = new long[snapshot.Length];
        for (int i = 0; i < snapshot.Length; i++)
        {
            (ids[i], epochs[i]) = (snapshot[i].Key, snapshot[i].Value);
        }
        var renewed = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = db.Command(connection, null, Renew)
            .With("ids", ids).With("epochs", epochs).With("lease", (long)db.Options.LeaseDuration.TotalMilliseconds))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                renewed.Add(reader.GetString(0));
                if (!reader.IsDBNull(1))
                {
                    CancelRequested?.Invoke(reader.GetString(0), reader.GetString(1));
                }
            }
        }
        foreach (var (id, epoch) in snapshot)
        {
            // Not renewed: another node took the run over, or its attempt ended meanwhile. Forget it only if it was
            // lost (still held at the same epoch); the attempt's own write will be refused and say so.
            if (!renewed.Contains(id) && held.TryGetValue(id, out var now) && now == epoch)
            {
                Interlocked.Increment(ref lost);
                MarkLost(id);
            }
        }
        LastRenewal = DateTimeOffset.UtcNow;
        LastFailure = null;
        return renewed.Count;
    }

    // On the real clock: leases measure real time between processes, whatever clock the engine runs on.
    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(db.Options.RenewalInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await RenewAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The database is unreachable (restarting, network): try again at the next tick. If it stays away longer
                // than the lease, other nodes take the runs over and this node's late writes are refused.
                LastFailure = ex;
            }
        }
    }
}
