using System.Diagnostics;

namespace Signup;

/// <summary>
/// How long the process took from its start to the first function body: runtime start-up, the host, the SQLite store,
/// the send and the worker's claim. benchmarks/aot-coldstart.sh reads the line this prints to compare the NativeAOT
/// binary with the JIT build (docs/benchmarks.md, "NativeAOT: size and cold start").
/// </summary>
public static class ColdStart
{
    private static long firstFunctionTicks; // DateTime.UtcNow.Ticks when the first function body started; 0 until then

    /// <summary>Called first thing in every function body; only the first call counts.</summary>
    public static void FunctionStarted() => Interlocked.CompareExchange(ref firstFunctionTicks, DateTime.UtcNow.Ticks, 0);

    /// <summary>
    /// One line for the summary. The process's start is the kernel's record of it, which Linux keeps in clock ticks
    /// (10 ms), so the figure can read up to 10 ms long; good enough to tell tens of milliseconds from hundreds.
    /// </summary>
    public static string Describe()
    {
        var first = Interlocked.Read(ref firstFunctionTicks);
        if (first == 0)
        {
            return "cold start: no function started";
        }
        using var process = Process.GetCurrentProcess();
        var elapsed = new DateTime(first, DateTimeKind.Utc) - process.StartTime.ToUniversalTime();
        return $"cold start: process start to first function: {elapsed.TotalMilliseconds:F0} ms";
    }
}
