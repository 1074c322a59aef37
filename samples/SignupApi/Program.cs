using FanOut;
using FanOut.AspNetCore;
using FanOut.Sqlite;
using FanOut.Stores;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Signup;
using Signup.Contracts;
using SignupApi;

// The signup sample as a web API: POST /signup sends app/user.signup and answers 202 at once (the six functions run on
// their own), and POST /e/{eventKey} is Inngest's Event API for services in other languages (docs/http-event-api.md).
//
//   dotnet run --project samples/SignupApi -- --urls http://127.0.0.1:5080 --FanOut:EventKeys:0=dev-key
//   curl -X POST http://127.0.0.1:5080/signup -H 'content-type: application/json' -d '{"email":"ada@example.com","name":"Ada","plan":"pro"}'
//
// Settings (appsettings.json, environment FanOut__..., or --FanOut:...=...):
//   FanOut:EventKeys:0..n   the event keys the Event API accepts (none: every Event API request is refused, 401)
//   FanOut:Sqlite           the SQLite connection string (default Data Source=fanout-signupapi.db)
//   FanOut:ConsoleTelemetry true: print FanOut's and ASP.NET Core's spans and FanOut's metrics with OpenTelemetry's console exporter
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

builder.Services.AddSingleton<IEmailSender, FakeEmail>();
builder.Services.AddSingleton<IStripe, FakeStripe>();
builder.Services.AddSingleton<ICrm, FakeCrm>();
builder.Services.AddSingleton<IMailingList, FakeMailingList>();
builder.Services.AddSingleton<SignupLedger>();
builder.Services
    .AddFanOut(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(300))
    .UseSqlite(builder.Configuration["FanOut:Sqlite"] ?? "Data Source=fanout-signupapi.db");

// Keys are read one by one rather than bound, so no reflection-based configuration binding is needed.
var eventKeys = builder.Configuration.GetSection("FanOut:EventKeys").GetChildren().Select(k => k.Value).OfType<string>().ToArray();
builder.Services.AddFanOutEventApi(o =>
{
    foreach (var key in eventKeys)
    {
        o.EventKeys.Add(key);
    }
});

if (builder.Configuration.GetValue<bool>("FanOut:ConsoleTelemetry"))
{
    builder.Services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddSource(FanOut.Diagnostics.FanOutTelemetry.Name, "Microsoft.AspNetCore").AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddMeter(FanOut.Diagnostics.FanOutTelemetry.Name).AddConsoleExporter());
}

var app = builder.Build();

app.MapPost("/signup", async (SignupRequest request, IFanOutClient fanout, CancellationToken ct) =>
{
    var userId = request.UserId ?? $"u-{Guid.CreateVersion7():N}";
    var sent = await fanout.SendAsync(new UserSignup(new User(userId, request.Email, request.Name), request.Plan), cancellationToken: ct);
    var runs = sent.Runs.Select(r => new AcceptedRun(r.RunId, r.FunctionId)).ToArray();
    return Results.Accepted($"/signups/{userId}", new SignupAccepted(sent.EventId, sent.Duplicate, runs));
});

// What the record-signup function received for a user, and how many of its runs have not finished yet.
app.MapGet("/signups/{userId}", async (string userId, SignupLedger ledger, IFanOutAdmin admin, CancellationToken ct) =>
{
    int pending = 0;
    foreach (var status in new[] { RunStatus.Queued, RunStatus.Running })
    {
        pending += (await admin.ListRunsAsync(new RunQuery { FunctionId = "record-signup", Status = status, Limit = 10_000 }, ct)).Count;
    }
    return Results.Ok(new UserSignups(userId, ledger.For(userId), pending));
});

app.MapFanOutEvents();

if (eventKeys.Length == 0)
{
    app.Logger.LogWarning("No event key is configured (FanOut:EventKeys): the Event API refuses every request.");
}
app.Lifetime.ApplicationStarted.Register(() =>
{
    // One line that scripts wait for, with the real port when --urls asked for port 0.
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
    Console.WriteLine($"SignupApi listening on {string.Join(", ", addresses ?? [])}");
});
app.Run();
