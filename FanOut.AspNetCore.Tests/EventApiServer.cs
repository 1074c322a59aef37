using System.Net.Http.Headers;
using FanOut.Sqlite;
using FanOut.Stores;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FanOut.AspNetCore.Tests;

/// <summary>A real Kestrel server on 127.0.0.1, a free port, with FanOut's engine and the Event API.</summary>
internal sealed class EventApiServer : IAsyncDisposable
{
    public const string Key = "test-key-0123456789";

    /// <summary>The longest any test waits for something that should happen; past it the test fails with a message.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly WebApplication app;

    private EventApiServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = Patience };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => app.Services;

    public Ledger Ledger => app.Services.GetRequiredService<Ledger>();

    public static async Task<EventApiServer> StartAsync(
        Action<FanOutEventApiOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<FanOutOptions>? fanout = null,
        string? sqlitePath = null,
        string pattern = FanOutEndpointRouteBuilderExtensions.DefaultPattern)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Ledger>();
        var fanOutBuilder = builder.Services.AddFanOut(o =>
        {
            o.OnlyFunctionsOf<HttpFunctions>();
            fanout?.Invoke(o);
        });
        if (sqlitePath is not null)
        {
            fanOutBuilder.UseSqlite($"Data Source={sqlitePath}");
        }
        builder.Services.AddFanOutEventApi(o =>
        {
            o.EventKeys.Add(Key);
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapFanOutEvents(pattern);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EventApiServer(app, new Uri(address + "/"));
    }

    public Task<HttpResponseMessage> PostAsync(string json, string key = Key, string? seed = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"e/{key}")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (seed is not null)
        {
            request.Headers.TryAddWithoutValidation("x-inngest-event-id-seed", seed);
        }
        return Http.SendAsync(request);
    }

    /// <summary>Every run of the test event, as the store lists them.</summary>
    public async Task<IReadOnlyList<RunSummary>> RunsAsync() =>
        await app.Services.GetRequiredService<IFanOutAdmin>().ListRunsAsync(new RunQuery { EventName = "test/order.placed", Limit = 10_000 });

    /// <summary>Waits, within <see cref="Patience"/>, for every run of the test event to finish.</summary>
    public async Task<IReadOnlyList<RunResult>> WaitForAllRunsAsync()
    {
        var client = app.Services.GetRequiredService<IFanOutClient>();
        var runs = await RunsAsync();
        var results = new List<RunResult>();
        foreach (var run in runs)
        {
            results.Add(await Within(client.WaitForRunAsync(run.RunId), $"run {run.RunId} of '{run.FunctionId}' to finish"));
        }
        return results;
    }

    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}; it did not happen.");
        }
    }

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
