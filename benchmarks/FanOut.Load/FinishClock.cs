using System.Collections.Concurrent;
using System.Text.Json;
using FanOut.Stores;

namespace FanOut.Load;

/// <summary>
/// Wraps the real store to time each run's end at the moment its result is committed, with no extra read: the run's
/// event index is taken from the payload when the event is accepted (before the run can exist), and looked up when
/// the run's result is stored. Everything else goes straight to the store.
/// </summary>
public sealed class FinishClock(IFanOutStore inner, LoadClock clock) : DelegatingStore(inner), IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> indexOfRun = new(StringComparer.Ordinal);

    public IFanOutStore Store => Inner;

    public override ValueTask<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<EventSubmission> batch, CancellationToken cancellationToken)
    {
        foreach (var submission in batch)
        {
            var index = IndexOf(submission.Event.Data.Span);
            foreach (var run in submission.Runs)
            {
                indexOfRun[run.Id] = index;
            }
        }
        return base.AcceptAsync(batch, cancellationToken);
    }

    public override async ValueTask<bool> FinishAsync(RunResult result, CancellationToken cancellationToken)
    {
        var resumed = await Inner.FinishAsync(result, cancellationToken).ConfigureAwait(false);
        Ended(result);
        return resumed;
    }

    // The engine saves a run's last steps with its outcome in one call: forwarded as one, so the store makes it one write.
    public override async ValueTask<bool> FinishAsync(RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken)
    {
        var resumed = await Inner.FinishAsync(result, unsavedSteps, cancellationToken).ConfigureAwait(false);
        Ended(result);
        return resumed;
    }

    private void Ended(RunResult result)
    {
        if (indexOfRun.TryRemove(result.RunId, out var index))
        {
            clock.Ended(index, result.Status == RunStatus.Succeeded);
        }
    }

    public async ValueTask DisposeAsync()
    {
        switch (Inner)
        {
            case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync().ConfigureAwait(false); break;
            case IDisposable disposable: disposable.Dispose(); break;
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && (reader.ValueTextEquals("index"u8) || reader.ValueTextEquals("Index"u8)))
            {
                reader.Read();
                return reader.GetInt32();
            }
        }
        throw new InvalidOperationException("A load event without an index: " + System.Text.Encoding.UTF8.GetString(json));
    }
}
