using Npgsql;

namespace FanOut.PostgreSql.Signals;

/// <summary>
/// Listens for the store's NOTIFY channels on a dedicated connection: wakes the local worker when another node (or this
/// one) queued runs, and tells local waiters when a run finished anywhere. Reconnects after a failure, and then wakes the
/// worker and the waiters (with a null run id: look at them all), since notifications may have been missed meanwhile.
/// Polling (<see cref="PostgresStoreOptions.PollInterval"/>) covers whatever the worker misses.
/// </summary>
internal sealed class WorkListener(PostgresDatabase db, Action? wake, Action<string?>? finished) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;
    private int started;

    /// <summary>Whether the listening connection is open now.</summary>
    public bool Connected { get; private set; }

    public void Start()
    {
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            loop = Task.Run(() => ListenAsync(stop.Token));
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == db.Channel)
                    {
                        wake?.Invoke();
                    }
                    else
                    {
                        finished?.Invoke(e.Payload);
                    }
                };
                await using (var listen = new NpgsqlCommand(
                    (wake is null ? "" : $"LISTEN \"{db.Channel}\";") + (finished is null ? "" : $"LISTEN \"{db.FinishedChannel}\";"), connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                Connected = true;
                backoff = TimeSpan.FromMilliseconds(100);
                wake?.Invoke();
                finished?.Invoke(null);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                Connected = false;
                try
                {
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }
}
