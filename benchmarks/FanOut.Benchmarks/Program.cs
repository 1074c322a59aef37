using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project benchmarks/FanOut.Benchmarks -- --filter '*'            (full runs)
// dotnet run -c Release --project benchmarks/FanOut.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project benchmarks/FanOut.Benchmarks -- --smoke                  (CI: every case once, in process)
// dotnet run -c Release --project benchmarks/FanOut.Benchmarks -- --allocations [events]  (bytes per event, by type)
// dotnet run -c Release --project benchmarks/FanOut.Benchmarks -- --interleaved-serialization [rounds]
//                                    (serialization contenders taking turns: per-round time ratios on a loaded machine)
// dotnet run -c Release --project benchmarks/FanOut.Benchmarks -- --write-generator-project <dir> <repo>
//                                    (the generator benchmark's 1,000-function project, for benchmarks/generator-build.sh)
// dotnet run -c Release --project benchmarks/FanOut.Benchmarks -- --generator-stages [FanOut.Generators.dll] [runs]
//                                    (the generator's time by pipeline step; another build of the generator to compare)
if (args is ["--generator-stages", ..])
{
    var path = args.Length > 1 && args[1].EndsWith(".dll", StringComparison.Ordinal) ? args[1] : null;
    var runs = args.Length > 1 && int.TryParse(args[^1], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 5;
    return FanOut.Benchmarks.GeneratorStages.Run(path, runs);
}
if (args is ["--allocations", ..])
{
    return await FanOut.Benchmarks.AllocationProfile.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
}
if (args is ["--interleaved-serialization", ..])
{
    return FanOut.Benchmarks.InterleavedSerialization.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
}
if (args is ["--write-generator-project", var directory, var repository])
{
    FanOut.Benchmarks.GeneratorBenchmarks.WriteProject(directory, repository);
    return 0;
}
var smoke = args.Contains("--smoke");
args = [.. args.Where(a => a != "--smoke")];
IConfig? config = null;
if (smoke)
{
    // One invocation of every benchmark, in this process: no per-benchmark project build, done in seconds. Checks
    // that every case runs and that its setup's own assertions hold; its figures mean nothing.
    config = DefaultConfig.Instance.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"));
    if (!args.Contains("--filter"))
    {
        args = [.. args, "--filter", "*"];
    }
}
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
