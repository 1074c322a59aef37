namespace FanOut.Worker;

/// <summary>
/// This process's running worker, as its sends see it. A send to a store that claims on accept
/// (<see cref="Stores.IFanOutStore.ClaimsOnAccept"/>) reserves free slots here, has the store accept the new runs
/// already claimed, and starts them at once: no claim write, no wake-up of the claim loop. Empty while no worker runs
/// (a producer-only process, a host not started or stopping): then every run is queued and claimed as usual.
/// </summary>
internal sealed class LocalDispatch
{
    private FanOutWorker? worker;

    /// <summary>The running worker, or null.</summary>
    public FanOutWorker? Worker => Volatile.Read(ref worker);

    /// <summary>Called by the worker when it starts taking runs (itself) and when it stops (null).</summary>
    public void Attach(FanOutWorker? running) => Volatile.Write(ref worker, running);
}
