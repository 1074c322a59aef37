using FanOut.Sqlite;
using FanOut.Sqlite.Schema;
using FanOut.Stores;
using Microsoft.Data.Sqlite;

namespace FanOut.Tests.Stores;

/// <summary>Reading a SQLite store's file from outside its app: <see cref="SqliteStore.OpenReadOnly"/> and <see cref="SqliteStore.FindHolder"/>.</summary>
public sealed class SqliteRunReaderTests : IDisposable
{
    private readonly TempDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public void An_older_schema_is_refused_and_left_unmigrated()
    {
        using (var v1 = new SqliteConnection($"Data Source={database.Path};Pooling=False"))
        {
            v1.Open();
            using var command = v1.CreateCommand();
            command.CommandText = FanOut.Sqlite.Schema.SqliteSchema.Migration(1) + "PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        var refused = Assert.Throws<FanOutStoreException>(() => SqliteStore.OpenReadOnly(database.Path));

        Assert.Equal(
            $"The SQLite store '{database.Path}' has schema version 1, older than {SqliteSchema.CurrentVersion}; open it once with the app (SqliteStore migrates it) before reading it.",
            refused.Message);
        using var check = new SqliteConnection($"Data Source={database.Path};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        Assert.Equal(1L, version.ExecuteScalar());
    }

    [Fact]
    public async Task FindHolder_names_the_process_only_while_a_store_holds_the_file()
    {
        Assert.Null(SqliteStore.FindHolder(database.Path)); // never opened: no lock file, and none is created
        Assert.False(File.Exists(database.Path + ".lock"));

        var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path });
        var holder = SqliteStore.FindHolder($"Data Source={database.Path}");
        await store.DisposeAsync();

        Assert.Equal(new SqliteStoreHolder(Environment.ProcessId, Environment.MachineName), holder);
        Assert.Null(SqliteStore.FindHolder(database.Path)); // released
    }

    [Fact]
    public async Task A_reader_lists_what_the_app_commits_while_it_holds_the_file()
    {
        await using var store = new SqliteStore(new SqliteStoreOptions { ConnectionString = database.Path });
        using var reader = SqliteStore.OpenReadOnly(database.Path);
        Assert.Empty(await reader.ListRunsAsync(new RunQuery(), default));

        var evt = new FanOut.Runs.StoredEvent("01EVENT0000000000000000001", "test/a", "{}"u8.ToArray(), 0);
        await store.AcceptAsync([new EventSubmission(evt, [new FanOut.Runs.RunRecord("01RUN000000000000000000001", "f", evt)])], default);

        var run = Assert.Single(await reader.ListRunsAsync(new RunQuery(), default));
        Assert.Equal(("01RUN000000000000000000001", RunStatus.Queued), (run.RunId, run.Status));
        Assert.Equal(run, await reader.GetRunAsync(run.RunId, default));
        Assert.Null(await reader.GetResultAsync(run.RunId, default));
        Assert.Empty(await reader.GetSavedStepsAsync(run.RunId, default));
    }
}
