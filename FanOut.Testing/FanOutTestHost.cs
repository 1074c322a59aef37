using System.Text.Json;
using FanOut.Serialization;
using FanOut.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace FanOut.Testing;

/// <summary>
/// Runs FanOut functions in a test with the real engine — the real worker, steps, retries and failure handlers, the
/// in-memory store — on a fake clock that the host moves forward whenever the only work left is due later, so backoffs
/// pass at once. Step results can be mocked by id; mocks go through the real serializers, so a test catches what
/// production would.
/// </summary>
/// <example>
/// <code>
/// await using var test = await FanOutTestHost.StartAsync(t => t
///     .FunctionsOf&lt;SignupFunctions&gt;()
///     .Services(s => s.AddSingleton&lt;IStripe&gt;(fakeStripe)));
/// test.MockStep("start-stripe-trial", "create-customer", "cus_123");
/// var run = await test.RunAsync("start-stripe-trial", new UserSignup(...));
/// Assert.Equal(RunStatus.Succeeded, run.Status);
/// </code>
/// </example>
public sealed class FanOutTestHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly TestStore store;

    private FanOutTestHost(IHost host, TestStore store, FakeTimeProvider time, TimeSpan patience)
    {
        this.host = host;
        this.store = store;
        Time = time;
        Patience = patience;
        Client = host.Services.GetRequiredService<IFanOutClient>();
    }

    /// <summary>The fake clock every part of FanOut in this host reads. Move it yourself to pass a timeout or a sleep.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The client, to send as production code does.</summary>
    public IFanOutClient Client { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => host.Services;

    /// <summary>The longest the host waits for runs to finish before failing the test with a message.</summary>
    public TimeSpan Patience { get; }

    /// <summary>Starts a host with the functions, services and settings <paramref name="configure"/> chooses.</summary>
    public static async Task<FanOutTestHost> StartAsync(Action<FanOutTestHostBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var settings = new FanOutTestHostBuilder();
        configure(settings);
        var time = new FakeTimeProvider(settings.StartTime);
        var store = new TestStore(new InMemoryStore(time));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IFanOutStore>(store);
        builder.Services.AddFanOut(o =>
        {
            settings.ApplySubset(o);
            o.TimeProvider = time;
            settings.Options?.Invoke(o);
        });
        settings.ServiceSetup?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new FanOutTestHost(host, store, time, settings.PatienceValue);
    }

    /// <summary>Answers step <paramref name="stepId"/> of every run of <paramref name="functionId"/> with <paramref name="result"/> instead of running it. The value goes through the generated serializer, as a stored result would.</summary>
    public void MockStep<T>(string functionId, string stepId, T result)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(result, FanOutJson.GetTypeInfo<T>());
        var now = Time.GetUtcNow();
        store.Mock(functionId, new StepState(stepId, StepStatus.Succeeded, 1, json, null, now, now));
    }

    /// <summary>Makes step <paramref name="stepId"/> of every run of <paramref name="functionId"/> a step that failed for good with <paramref name="error"/>: the function sees a <see cref="StepFailedException"/>.</summary>
    public void MockStepFailure(string functionId, string stepId, Exception error)
    {
        var now = Time.GetUtcNow();
        store.Mock(functionId, new StepState(stepId, StepStatus.Failed, 1, null, RunError.From(error), now, now));
    }

    /// <summary>Sends the event and waits until every run it started has finished (moving the clock through retries).</summary>
    public async Task<IReadOnlyList<TestRun>> SendAsync<TData>(TData data, SendOptions? options = null)
    {
        var sent = await Client.SendAsync(data, options).ConfigureAwait(false);
        return await WaitAsync(sent).ConfigureAwait(false);
    }

    /// <summary>Sends the event and returns the run of <paramref name="functionId"/> once every run of the event has finished.</summary>
    /// <exception cref="InvalidOperationException">The host does not run that function for this event.</exception>
    public async Task<TestRun> RunAsync<TData>(string functionId, TData data, SendOptions? options = null)
    {
        var runs = await SendAsync(data, options).ConfigureAwait(false);
        foreach (var run in runs)
        {
            if (run.FunctionId == functionId)
            {
                return run;
            }
        }
        throw new InvalidOperationException(
            $"The event started no run of '{functionId}'; it started: {string.Join(", ", runs.Select(r => r.FunctionId))}. " +
            "Is the function hosted (Functions(...) / FunctionsOf<T>()), and is it a function of this event?");
    }

    /// <summary>Waits until every run of a send has finished, moving the clock to the next due time whenever nothing is running.</summary>
    public async Task<IReadOnlyList<TestRun>> WaitAsync(SendResult sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var waits = sent.Runs.Select(r => Client.WaitForRunAsync(r.RunId)).ToArray();
        var all = Task.WhenAll(waits);
        using var patience = new CancellationTokenSource(Patience);
        while (!all.IsCompleted)
        {
            var idle = store.WhenIdleAsync(Time.GetUtcNow());
            try
            {
                await Task.WhenAny(all, idle).WaitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                var pending = sent.Runs.Where((_, i) => !waits[i].IsCompleted).Select(r => $"{r.FunctionId} ({r.RunId})");
                throw new TimeoutException(
                    $"Runs still unfinished after {Patience.TotalSeconds:N0} s: {string.Join(", ", pending)}. A function waiting on something " +
                    "that never comes, or a timeout that needs the clock moved (Time.Advance), would do this.");
            }
            if (!all.IsCompleted && idle.IsCompletedSuccessfully && idle.Result > Time.GetUtcNow())
            {
                Time.SetUtcNow(idle.Result);
            }
        }
        var results = await all.ConfigureAwait(false);
        return [.. results.Select(r => new TestRun(r, store.MockedSteps(r.RunId)))];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        finally
        {
            host.Dispose();
        }
    }
}

/// <summary>What a <see cref="FanOutTestHost"/> hosts and how.</summary>
public sealed class FanOutTestHostBuilder
{
    private readonly List<string> functionIds = [];
    private readonly List<Type> functionTypes = [];

    internal DateTimeOffset StartTime { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal Action<IServiceCollection>? ServiceSetup { get; private set; }

    internal Action<FanOutOptions>? Options { get; private set; }

    internal TimeSpan PatienceValue { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Hosts these functions (by id) — the runs of other functions of the same event are not started.</summary>
    public FanOutTestHostBuilder Functions(params string[] ids)
    {
        functionIds.AddRange(ids);
        return this;
    }

    /// <summary>Hosts the functions declared in <typeparamref name="T"/>.</summary>
    public FanOutTestHostBuilder FunctionsOf<T>() => FunctionsOf(typeof(T));

    /// <summary>Hosts the functions declared in <paramref name="type"/> (for static classes).</summary>
    public FanOutTestHostBuilder FunctionsOf(Type type)
    {
        functionTypes.Add(type);
        return this;
    }

    /// <summary>Registers the services the functions need (fakes, usually).</summary>
    public FanOutTestHostBuilder Services(Action<IServiceCollection> setup)
    {
        ServiceSetup += setup;
        return this;
    }

    /// <summary>Changes engine settings (retries, timeouts, …) as production would.</summary>
    public FanOutTestHostBuilder Configure(Action<FanOutOptions> configure)
    {
        Options += configure;
        return this;
    }

    /// <summary>Where the fake clock starts. Default: 2026-01-01T00:00Z.</summary>
    public FanOutTestHostBuilder StartingAt(DateTimeOffset start)
    {
        StartTime = start;
        return this;
    }

    /// <summary>How long to wait for runs before failing. Default: 10 seconds.</summary>
    public FanOutTestHostBuilder WaitingAtMost(TimeSpan patience)
    {
        PatienceValue = patience;
        return this;
    }

    internal void ApplySubset(FanOutOptions options)
    {
        if (functionIds.Count > 0)
        {
            options.OnlyFunctions([.. functionIds]);
        }
        foreach (var type in functionTypes)
        {
            options.OnlyFunctionsOf(type);
        }
    }
}
