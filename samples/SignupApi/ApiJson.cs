using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignupApi;

/// <summary>The body of <c>POST /signup</c>.</summary>
public sealed record SignupRequest(string Email, string Name, string Plan, string? UserId = null);

/// <summary>The answer of <c>POST /signup</c>: the event and the runs it started, which go on after the answer.</summary>
public sealed record SignupAccepted(string EventId, bool Duplicate, IReadOnlyList<AcceptedRun> Runs);

/// <summary>One run started by the signup.</summary>
public sealed record AcceptedRun(string RunId, string FunctionId);

/// <summary>The answer of <c>GET /signups/{userId}</c>.</summary>
public sealed record UserSignups(string UserId, IReadOnlyList<RecordedSignup> Recorded, int PendingRuns);

/// <summary>System.Text.Json's generated serializers for the routes: no reflection, NativeAOT-clean.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SignupRequest))]
[JsonSerializable(typeof(SignupAccepted))]
[JsonSerializable(typeof(UserSignups))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
