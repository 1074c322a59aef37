using System.Text;
using FanOut.Runs;
using FanOut.Sqlite.Rows;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Sqlite.Reading;

/// <summary>Lists accepted events on the read connection, newest accepted first, each with its number of runs.</summary>
internal sealed class EventListReader(ReadConnection reads)
{
    private const string Select = """
        SELECT events.id, events.name, events.data, events.ts, events.dedup_key, events.v, events.user_json, events.accepted_at,
               (SELECT count(*) FROM runs WHERE runs.event_id = events.id)
        FROM events
        WHERE 1 = 1
        """;

    public async ValueTask<IReadOnlyList<EventSummary>> ListAsync(EventQuery query, CancellationToken cancellationToken)
    {
        using var turn = await reads.TakeTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = reads.Connection.CreateCommand();
            var sql = new StringBuilder(Select);
            if (query.Name is { } name)
            {
                sql.Append(" AND events.name = $name");
                command.Parameters.AddWithValue("$name", name);
            }
            if (query.Since is { } since)
            {
                sql.Append(" AND events.accepted_at >= $since");
                command.Parameters.AddWithValue("$since", RowCodec.Ms(since));
            }
            if (query.Until is { } until)
            {
                sql.Append(" AND events.accepted_at < $until");
                command.Parameters.AddWithValue("$until", RowCodec.Ms(until));
            }
            sql.Append(" ORDER BY events.accepted_at DESC, events.id DESC LIMIT $limit;");
            command.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
            command.CommandText = sql.ToString();
            var events = new List<EventSummary>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var evt = RowCodec.Event(reader, reader.GetString(0), 1);
                events.Add(new EventSummary(evt, RowCodec.Time(reader.GetInt64(7)), reader.GetInt32(8)));
            }
            return events;
        }
        catch (SqliteException ex)
        {
            throw new FanOutStoreException($"SQLite store '{reads.DatabasePath}': could not list events: {ex.Message}", ex);
        }
    }
}
