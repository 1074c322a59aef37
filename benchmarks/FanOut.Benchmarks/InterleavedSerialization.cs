using System.Diagnostics;
using System.Globalization;

namespace FanOut.Benchmarks;

/// <summary>
/// <c>--interleaved-serialization [rounds]</c>: the serialization contenders take turns in short rounds (20,000 calls each,
/// the order rotating every round), and each round's time is divided by the STJ context's time in the same round. On a
/// shared, loaded VM, where BenchmarkDotNet's contenders run minutes apart under different load, these per-round ratios
/// are steadier than ratios of separately measured means. Time only; allocations come from BenchmarkDotNet.
/// </summary>
internal static class InterleavedSerialization
{
    private const int CallsPerRound = 20_000;

    public static int Run(int rounds)
    {
        var benchmarks = new SerializationBenchmarks();
        benchmarks.Setup();
        var cases = new (string Name, Func<object?> Run, int Baseline)[]
        {
            ("Deserialize: FanOut generated", () => benchmarks.FanOutDeserialize(), 1),
            ("Deserialize: STJ context", () => benchmarks.StjDeserialize(), 1),
            ("Deserialize: STJ context, FanOut's strictness", () => benchmarks.StrictStjDeserialize(), 1),
            ("Serialize: FanOut generated", () => benchmarks.FanOutSerialize(), 4),
            ("Serialize: STJ context", () => benchmarks.StjSerialize(), 4),
        };
        var times = new List<double>[cases.Length];
        for (int k = 0; k < cases.Length; k++)
        {
            times[k] = new List<double>(rounds);
            for (int i = 0; i < 3 * CallsPerRound; i++)
            {
                cases[k].Run(); // warm-up, and tiering
            }
        }
        for (int round = 0; round < rounds; round++)
        {
            for (int turn = 0; turn < cases.Length; turn++)
            {
                int k = (turn + round) % cases.Length;
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < CallsPerRound; i++)
                {
                    cases[k].Run();
                }
                times[k].Add(clock.Elapsed.TotalNanoseconds / CallsPerRound);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} rounds of {CallsPerRound:N0} calls per contender"));
        for (int k = 0; k < cases.Length; k++)
        {
            var ratios = new List<double>(rounds);
            for (int round = 0; round < rounds; round++)
            {
                ratios.Add(times[k][round] / times[cases[k].Baseline][round]);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cases[k].Name,-48} median {Median(times[k]),8:F1} ns/op   per-round ratio to the STJ context: median {Median(ratios):F2}, quartiles {Quantile(ratios, 0.25):F2}-{Quantile(ratios, 0.75):F2}"));
        }
        return 0;
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = new List<double>(values);
        sorted.Sort();
        return sorted[(int)(q * (sorted.Count - 1))];
    }
}
