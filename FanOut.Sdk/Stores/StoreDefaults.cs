namespace FanOut.Stores;

/// <summary>The behaviour <see cref="IFanOutStore"/>'s optional members have in a store that does not do better.</summary>
internal static class StoreDefaults
{
    /// <summary>Saves each memo, in order, then records the outcome: two or more writes where a store could make one.</summary>
    public static async ValueTask<bool> SaveThenFinishAsync(IFanOutStore store, RunResult result, IReadOnlyList<StepState> unsavedSteps, CancellationToken cancellationToken)
    {
        for (int i = 0; i < unsavedSteps.Count; i++)
        {
            await store.SaveStepAsync(result.RunId, unsavedSteps[i], cancellationToken).ConfigureAwait(false);
        }
        return await store.FinishAsync(result, cancellationToken).ConfigureAwait(false);
    }
}
