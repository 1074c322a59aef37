using FanOut.Client;
using FanOut.PostgreSql;
using Npgsql;

namespace FanOut;

/// <summary>Sends events inside the application's own PostgreSQL transaction (the outbox pattern, without an outbox).</summary>
public static class PostgresTransactionalSend
{
    /// <summary>
    /// Sends an event inside <paramref name="transaction"/>: the event and its runs are written by that transaction, so
    /// they exist if and only if it commits — together with the application's own writes. Workers are woken when it
    /// commits (NOTIFY is delivered at commit); a rolled-back send leaves no trace.
    /// </summary>
    /// <remarks>
    /// The transaction must be on the database that holds FanOut's schema. The result's runs exist only once the
    /// transaction commits: wait for them (<see cref="IFanOutClient.WaitForRunAsync"/>) after the commit. A deduplication key
    /// taken by an uncommitted send makes a concurrent send of the same key wait for that transaction.
    /// </remarks>
    /// <typeparam name="TData">The payload type, declared with <see cref="EventAttribute"/>.</typeparam>
    /// <param name="client">The FanOut client (its store must be <c>UsePostgres</c>'s).</param>
    /// <param name="data">The payload.</param>
    /// <param name="transaction">The open transaction to send in.</param>
    /// <param name="options">The envelope's optional parts.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The event's id and its runs (or the first event's id, for a duplicate).</returns>
    public static async ValueTask<SendResult> SendAsync<TData>(
        this IFanOutClient client, TData data, NpgsqlTransaction transaction, SendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(transaction);
        if (client is not FanOutClient fanout || fanout.Store is not PostgresStore store)
        {
            throw new InvalidOperationException("A send inside a PostgreSQL transaction needs FanOut's client on the PostgreSQL store: call AddFanOut().UsePostgres(…).");
        }
        var submission = fanout.Prepare(data, options);
        var outcomes = await store.AcceptAsync([submission], transaction, cancellationToken).ConfigureAwait(false);
        return fanout.Accepted([submission], outcomes)[0];
    }
}
