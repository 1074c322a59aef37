using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FanOut.Tests.Runtime;

/// <summary>A real host with FanOut's real worker, narrowed to the functions one test needs.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    /// <summary>The longest any test waits for something that should happen; past it the test fails with a message.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly IHost host;

    private TestApp(IHost host)
    {
        this.host = host;
        Client = host.Services.GetRequiredService<IFanOutClient>();
    }

    public IFanOutClient Client { get; }

    public IServiceProvider Services => host.Services;

    public static async Task<TestApp> StartAsync(Action<FanOutOptions> configure, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddFanOut(configure);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestApp(host);
    }

    public async Task<IReadOnlyList<RunResult>> WaitForRunsAsync(SendResult sent)
    {
        var results = new RunResult[sent.Runs.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = await Within(Client.WaitForRunAsync(sent.Runs[i].RunId), $"run {sent.Runs[i].RunId} of '{sent.Runs[i].FunctionId}' to finish");
        }
        return results;
    }

    public async Task<IReadOnlyList<RunResult>> SendAndWaitAsync<T>(T data, SendOptions? options = null)
    {
        var sent = await Client.SendAsync(data, options);
        return await WaitForRunsAsync(sent);
    }

    public Task StopAsync() => Within(host.StopAsync(), "the host to stop");

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

    public static async Task Within(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}; it did not happen.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            host.Dispose();
        }
    }
}
