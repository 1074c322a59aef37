namespace FanOut.Tests.Serialization;

/// <summary>
/// The emitted source for a representative payload is compared with a committed, reviewed baseline
/// (<c>Serialization/Baselines/*.cs.txt</c>). After an intended change to the emitter, regenerate with
/// <c>FANOUT_UPDATE_BASELINES=1 dotnet test FanOut.sln --filter "FullyQualifiedName~Baseline"</c> and review the diff.
/// </summary>
public sealed class GeneratedSourceBaselineTests
{
    [Fact]
    public void The_serializers_emitted_for_a_positional_record_match_the_reviewed_baseline()
    {
        using var payloads = PayloadCompilation.Load("""
            namespace Shop;

            public enum Plan { Free, Pro }

            public sealed record UserSignup(string UserId, string? Email, Plan Plan, IReadOnlyList<string> Tags, int Seats = 1)
            {
                [JsonPropertyName("source")] public string? Referrer { get; init; }
            }

            public sealed class Address
            {
                public required string Street { get; init; }
                public string Country { get; init; } = "NL";
                public int? Floor { get; set; }
            }

            public sealed record Order(Guid Id, Address ShipTo);
            """, "Shop.UserSignup", "Shop.Order");

        AssertMatchesBaseline("UserSignupAndOrder.cs.txt", payloads.EmittedSource);
    }

    private static void AssertMatchesBaseline(string fileName, string actual, [System.Runtime.CompilerServices.CallerFilePath] string testFile = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(testFile)!, "Baselines", fileName);
        if (Environment.GetEnvironmentVariable("FANOUT_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), "No baseline at " + path + "; run with FANOUT_UPDATE_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
