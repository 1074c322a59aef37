using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// benchmarks/peers-inprocess.sh runs what docs/benchmarks-inprocess.md (section 3) shows. By hand, from the repository root:
//   dotnet run -c Release --project benchmarks/Peers.InProcess -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/Peers.InProcess -- --smoke   (every case once, in process: do all contenders run?)
var smoke = args.Contains("--smoke");
args = [.. args.Where(a => a != "--smoke")];
IConfig? config = null;
if (smoke)
{
    // One invocation of every benchmark, in this process; GlobalSetup's and GlobalCleanup's checks still fail loudly.
    config = DefaultConfig.Instance.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"));
    if (!args.Contains("--filter"))
    {
        args = [.. args, "--filter", "*"];
    }
}
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
