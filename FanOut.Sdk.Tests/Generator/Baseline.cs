using System.Runtime.CompilerServices;

namespace FanOut.Tests.Generator;

/// <summary>
/// Compares generated source with a reviewed, committed file in Generator/Baselines.
/// To accept new output after an intended change, run the tests with FANOUT_ACCEPT_BASELINES=1
/// (<c>FANOUT_ACCEPT_BASELINES=1 dotnet test FanOut.sln --filter "FullyQualifiedName~Generator"</c>): the baselines are
/// rewritten instead of compared. Review the diff before committing it.
/// </summary>
internal static class Baseline
{
    public const string AcceptSwitch = "FANOUT_ACCEPT_BASELINES";

    public static void Verify(string baselineName, string actual, [CallerFilePath] string callerPath = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Baselines", baselineName + ".cs.txt");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(AcceptSwitch) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"Baseline {path} does not exist; run the tests with {AcceptSwitch}=1 to create it, then review it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
        {
            File.WriteAllText(Path.ChangeExtension(path, ".received.txt"), actual);
        }
        Assert.Equal(expected, actual);
    }
}
