using FanOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Signup;
using FanOut.Sqlite;
using Signup.Contracts;

// One event, six independent functions. The trigger table (which functions run for 'app/user.signup') was written
// by the FanOut generator at compile time; nothing is discovered at run time.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("FanOut", LogLevel.None); // the sample prints its own summary below
builder.Services.AddSingleton<IEmailSender, FakeEmail>();
builder.Services.AddSingleton<IStripe, FakeStripe>();
builder.Services.AddSingleton<ICrm, FakeCrm>();
builder.Services.AddSingleton<IMailingList, FakeMailingList>();
// Durable on an embedded SQLite file: no server to install. Runs survive a crash or a restart and resume from their
// last stored step. With FANOUT_POSTGRES set to a connection string, the runs are kept in PostgreSQL instead, where
// several copies of this app share them as nodes. (The first retry's backoff is shortened for the demo.)
var postgres = Environment.GetEnvironmentVariable("FANOUT_POSTGRES");
var fanOutBuilder = builder.Services.AddFanOut(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(300));
if (string.IsNullOrWhiteSpace(postgres))
{
    fanOutBuilder.UseSqlite("Data Source=fanout-signup.db", sqlite => sqlite.Durability = SqliteDurability.Full);
}
else
{
    fanOutBuilder.UsePostgres(postgres, pg => pg.Schema = "fanout_signup");
}
var storeName = string.IsNullOrWhiteSpace(postgres) ? "SQLite, fanout-signup.db" : "PostgreSQL, schema fanout_signup";

using var host = builder.Build();
await host.StartAsync();
var fanout = host.Services.GetRequiredService<IFanOutClient>();

// A new user every time the sample runs, so a second run is a new signup, not a duplicate of the first.
var userId = $"u-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
var signup = new UserSignup(new User(userId, "ada@example.com", "Ada Lovelace"), Plan: "pro");
var once = new SendOptions { DeduplicationKey = $"signup-{userId}" };

Console.WriteLine($"Sending app/user.signup once (store: {storeName}) ...");
Timeline.Restart();
var sent = await fanout.SendAsync(signup, once);
Timeline.Say("sender", $"event {sent.EventId} stored with {sent.Runs.Count} runs; the sender goes on");
var again = await fanout.SendAsync(signup, once);
Timeline.Say("sender", $"the same signup sent again: duplicate={again.Duplicate}, {again.Runs.Count} new runs");
// The user tries the product at once: the nudge function, waiting up to 3 days for this, resumes and sends no nudge.
var activated = await fanout.SendAsync(new UserActivated(new UserRef(userId), Feature: "dashboard"));
Timeline.Say("sender", $"app/user.activated for {userId} sent (event {activated.EventId})");

var results = new List<RunResult>();
foreach (var run in sent.Runs)
{
    results.Add(await fanout.WaitForRunAsync(run.RunId).WaitAsync(TimeSpan.FromSeconds(30)));
}

Console.WriteLine();
Console.WriteLine($"{"function",-22} {"status",-10} {"attempts",8}  output or error");
foreach (var result in results.OrderBy(r => r.FunctionId, StringComparer.Ordinal))
{
    var detail = result.Status == RunStatus.Succeeded
        ? (result.Output is null ? "-" : System.Text.Encoding.UTF8.GetString(result.Output.Value.Span))
        : result.Error?.Message;
    Console.WriteLine($"{result.FunctionId,-22} {result.Status,-10} {result.Attempts,8}  {detail}");
}

await host.StopAsync();

var succeeded = results.Count(r => r.Status == RunStatus.Succeeded);
Console.WriteLine();
Console.WriteLine($"{succeeded} of {results.Count} functions succeeded; 'notify-team' fails on purpose and disturbed none of the others.");
Console.WriteLine(ColdStart.Describe());
// The expected shape of this sample: everything but notify-team succeeds. Anything else is a real failure.
return succeeded == results.Count - 1 && results.Single(r => r.FunctionId == "notify-team").Status == RunStatus.Failed ? 0 : 1;
