namespace FanOut.Tests.Runtime;

[Event("test/parallel.sixteen")]
public sealed record SixteenStarted(string Key);

/// <summary>Sixteen functions of one event; each waits until all sixteen have started, so they can only finish if they run in parallel.</summary>
public static class SixteenFunctions
{
    private static Task Meet(SixteenStarted e) => Signals.Meeting(e.Key, 16).ArriveAndWaitAsync();

    [Function("parallel-01", Event = "test/parallel.sixteen")]
    public static Task Parallel01(SixteenStarted e) => Meet(e);

    [Function("parallel-02", Event = "test/parallel.sixteen")]
    public static Task Parallel02(SixteenStarted e) => Meet(e);

    [Function("parallel-03", Event = "test/parallel.sixteen")]
    public static Task Parallel03(SixteenStarted e) => Meet(e);

    [Function("parallel-04", Event = "test/parallel.sixteen")]
    public static Task Parallel04(SixteenStarted e) => Meet(e);

    [Function("parallel-05", Event = "test/parallel.sixteen")]
    public static Task Parallel05(SixteenStarted e) => Meet(e);

    [Function("parallel-06", Event = "test/parallel.sixteen")]
    public static Task Parallel06(SixteenStarted e) => Meet(e);

    [Function("parallel-07", Event = "test/parallel.sixteen")]
    public static Task Parallel07(SixteenStarted e) => Meet(e);

    [Function("parallel-08", Event = "test/parallel.sixteen")]
    public static Task Parallel08(SixteenStarted e) => Meet(e);

    [Function("parallel-09", Event = "test/parallel.sixteen")]
    public static Task Parallel09(SixteenStarted e) => Meet(e);

    [Function("parallel-10", Event = "test/parallel.sixteen")]
    public static Task Parallel10(SixteenStarted e) => Meet(e);

    [Function("parallel-11", Event = "test/parallel.sixteen")]
    public static Task Parallel11(SixteenStarted e) => Meet(e);

    [Function("parallel-12", Event = "test/parallel.sixteen")]
    public static Task Parallel12(SixteenStarted e) => Meet(e);

    [Function("parallel-13", Event = "test/parallel.sixteen")]
    public static Task Parallel13(SixteenStarted e) => Meet(e);

    [Function("parallel-14", Event = "test/parallel.sixteen")]
    public static Task Parallel14(SixteenStarted e) => Meet(e);

    [Function("parallel-15", Event = "test/parallel.sixteen")]
    public static Task Parallel15(SixteenStarted e) => Meet(e);

    [Function("parallel-16", Event = "test/parallel.sixteen")]
    public static Task Parallel16(SixteenStarted e) => Meet(e);

}
