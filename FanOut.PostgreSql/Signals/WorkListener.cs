using Npgsql;

namespace FanOut.PostgreSql.Signals;

/// <summary>
/// Listens for the store's NOTIFY channel on a dedicated connection and wakes the local worker when another node (or
/// this one) queued runs. Reconnects after a failure, and wakes the worker after each reconnect, since a notification
/// may have been missed meanwhile. Polling (<see cref="PostgresStoreOptions.PollInterval"/>) covers whatever this misses.
/// </summary>
internal sealed class WorkListener(PostgresDatabase db, Action wake) : IAsyncDisposable
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
                connection.Notification += (_, _) => wake();
                await using (var listen = new NpgsqlCommand($"LISTEN \"{db.Channel}\";", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                Connected = true;
                backoff = TimeSpan.FromMilliseconds(100);
                wake();
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
