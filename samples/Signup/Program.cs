using FanOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Signup;
using Signup.Contracts;

// One event, five independent functions. The trigger table (which functions run for 'app/user.signup') was written
// by the FanOut generator at compile time; nothing is discovered at run time.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("FanOut", LogLevel.None); // the sample prints its own summary below
builder.Services.AddSingleton<IEmailSender, FakeEmail>();
builder.Services.AddSingleton<IStripe, FakeStripe>();
builder.Services.AddSingleton<ICrm, FakeCrm>();
builder.Services.AddSingleton<IMailingList, FakeMailingList>();
builder.Services.AddFanOut(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(300)); // a short backoff, for the demo

using var host = builder.Build();
await host.StartAsync();
var fanout = host.Services.GetRequiredService<IFanOutClient>();

Console.WriteLine("Sending app/user.signup once ...");
Timeline.Restart();
var sent = await fanout.SendAsync(
    new UserSignup(new User("u-1", "ada@example.com", "Ada Lovelace"), Plan: "pro"),
    new SendOptions { DeduplicationKey = "signup-u-1" });
Timeline.Say("sender", $"event {sent.EventId} accepted; {sent.Runs.Count} runs started; the sender goes on");

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
// The expected shape of this sample: everything but notify-team succeeds. Anything else is a real failure.
return succeeded == results.Count - 1 && results.Single(r => r.FunctionId == "notify-team").Status == RunStatus.Failed ? 0 : 1;
