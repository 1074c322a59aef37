using FanOut.Sqlite;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FanOut;

/// <summary>Chooses the SQLite store for FanOut.</summary>
public static class SqliteFanOutBuilderExtensions
{
    /// <summary>
    /// Keeps FanOut's events, runs and steps in a SQLite file, so runs survive restarts and crashes. One process per
    /// file. The store opens (and migrates its schema) when first resolved, on FanOut's <see cref="FanOutOptions.TimeProvider"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddFanOut()</c>.</param>
    /// <param name="connectionString">A connection string (<c>Data Source=fanout.db</c>) or a file path.</param>
    /// <param name="configure">Optional further settings (durability, retention, group commit).</param>
    /// <returns>The builder.</returns>
    public static FanOutBuilder UseSqlite(this FanOutBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new SqliteStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        builder.Services.Replace(ServiceDescriptor.Singleton<IFanOutStore>(sp =>
            new SqliteStore(options, sp.GetRequiredService<IOptions<FanOutOptions>>().Value.TimeProvider)));
        return builder;
    }
}
