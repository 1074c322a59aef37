namespace FanOut.Sqlite.Locking;

/// <summary>
/// The exclusive, OS-level lock that makes a database file one process's: a sidecar <c>&lt;db&gt;.lock</c> opened with
/// <see cref="FileShare.None"/> (an exclusive <c>flock</c> on Unix, a sharing lock on Windows). The OS drops it when the
/// process dies, however it dies, so a store that holds it knows every run marked running was left by a dead process.
/// The owner's process id is written beside it (<c>&lt;db&gt;.lock.owner</c>), because the locked file cannot be read.
/// </summary>
internal sealed class DatabaseFileLock : IDisposable
{
    private FileStream? stream;

    private readonly string ownerPath;

    private DatabaseFileLock(string path, string ownerPath, FileStream stream)
    {
        Path = path;
        this.ownerPath = ownerPath;
        this.stream = stream;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock for <paramref name="databasePath"/>, or throws saying which process holds it.</summary>
    public static DatabaseFileLock Acquire(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        var ownerPath = lockPath + ".owner";
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            var owner = ReadOwner(ownerPath);
            throw new FanOutStoreException(
                $"The SQLite store '{databasePath}' is in use by {owner} (it holds '{lockPath}'); " +
                "SQLite stores are one process per file — use PostgreSQL for many nodes.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FanOutStoreException($"Could not create the lock file '{lockPath}' of the SQLite store '{databasePath}': {ex.Message}", ex);
        }
        try
        {
            File.WriteAllText(ownerPath, $"{Environment.ProcessId} {Environment.MachineName}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The owner file only makes the message of a refused second store better; the lock is what matters.
        }
        return new DatabaseFileLock(lockPath, ownerPath, stream);
    }

    /// <summary>Releases the lock (idempotent). The owner file goes first, while the lock still guards it.</summary>
    public void Dispose()
    {
        var held = Interlocked.Exchange(ref stream, null);
        if (held is null)
        {
            return;
        }
        try
        {
            File.Delete(ownerPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stale owner file is overwritten by the next owner.
        }
        held.Dispose();
    }

    /// <summary>
    /// Whether a process holds the lock of <paramref name="databasePath"/>, and which, without taking it or creating
    /// anything: null when the lock file is missing or free.
    /// </summary>
    public static SqliteStoreHolder? FindHolder(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        try
        {
            // Opening the existing file with no sharing fails exactly when a store holds it; it is closed at once.
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.None);
            return null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            try
            {
                var text = File.ReadAllText(lockPath + ".owner").Split(' ');
                return new SqliteStoreHolder(
                    int.TryParse(text[0], System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null,
                    text.Length >= 2 ? text[1] : null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new SqliteStoreHolder(null, null);
            }
        }
    }

    private static string ReadOwner(string ownerPath)
    {
        try
        {
            var text = File.ReadAllText(ownerPath).Split(' ');
            return text.Length >= 2 ? $"process {text[0]} on {text[1]}" : "another process";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }
}
