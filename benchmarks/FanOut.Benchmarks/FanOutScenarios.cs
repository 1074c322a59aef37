// The fan-out scenarios: for 1, 4 and 16 handlers, sync and Task.Yield, one payload type that is at once a FanOut event
// and a Mediator notification, N FanOut functions, N Mediator handlers and N plain delegates. Every one of them calls the
// same body in Handlers.cs. Written out flat rather than generated so that a reader sees exactly what each contender gets.
using FanOut;
using Mediator;

namespace FanOut.Benchmarks;

[Event("bench/sync-1")]
public sealed record Sync1(int Value) : INotification;

public static class Sync1Functions
{
    [Function("sync-1-1", Event = "bench/sync-1")]
    public static Task F1(Sync1 data, CancellationToken ct) => Handlers.Sync(ct);

    /// <summary>The same functions as plain delegates, for the baseline.</summary>
    public static readonly Func<Sync1, CancellationToken, Task>[] Delegates = [F1];
}

public sealed class Sync1Handler1 : INotificationHandler<Sync1>
{
    public ValueTask Handle(Sync1 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

[Event("bench/sync-4")]
public sealed record Sync4(int Value) : INotification;

public static class Sync4Functions
{
    [Function("sync-4-1", Event = "bench/sync-4")]
    public static Task F1(Sync4 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-4-2", Event = "bench/sync-4")]
    public static Task F2(Sync4 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-4-3", Event = "bench/sync-4")]
    public static Task F3(Sync4 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-4-4", Event = "bench/sync-4")]
    public static Task F4(Sync4 data, CancellationToken ct) => Handlers.Sync(ct);

    /// <summary>The same functions as plain delegates, for the baseline.</summary>
    public static readonly Func<Sync4, CancellationToken, Task>[] Delegates = [F1, F2, F3, F4];
}

public sealed class Sync4Handler1 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync4Handler2 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync4Handler3 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync4Handler4 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

[Event("bench/sync-16")]
public sealed record Sync16(int Value) : INotification;

public static class Sync16Functions
{
    [Function("sync-16-1", Event = "bench/sync-16")]
    public static Task F1(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-2", Event = "bench/sync-16")]
    public static Task F2(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-3", Event = "bench/sync-16")]
    public static Task F3(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-4", Event = "bench/sync-16")]
    public static Task F4(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-5", Event = "bench/sync-16")]
    public static Task F5(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-6", Event = "bench/sync-16")]
    public static Task F6(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-7", Event = "bench/sync-16")]
    public static Task F7(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-8", Event = "bench/sync-16")]
    public static Task F8(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-9", Event = "bench/sync-16")]
    public static Task F9(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-10", Event = "bench/sync-16")]
    public static Task F10(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-11", Event = "bench/sync-16")]
    public static Task F11(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-12", Event = "bench/sync-16")]
    public static Task F12(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-13", Event = "bench/sync-16")]
    public static Task F13(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-14", Event = "bench/sync-16")]
    public static Task F14(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-15", Event = "bench/sync-16")]
    public static Task F15(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    [Function("sync-16-16", Event = "bench/sync-16")]
    public static Task F16(Sync16 data, CancellationToken ct) => Handlers.Sync(ct);

    /// <summary>The same functions as plain delegates, for the baseline.</summary>
    public static readonly Func<Sync16, CancellationToken, Task>[] Delegates = [F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15, F16];
}

public sealed class Sync16Handler1 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler2 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler3 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler4 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler5 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler6 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler7 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler8 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler9 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler10 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler11 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler12 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler13 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler14 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler15 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

public sealed class Sync16Handler16 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Handlers.Sync(cancellationToken));
}

[Event("bench/yield-1")]
public sealed record Yield1(int Value) : INotification;

public static class Yield1Functions
{
    [Function("yield-1-1", Event = "bench/yield-1")]
    public static Task F1(Yield1 data, CancellationToken ct) => Handlers.Yield(ct);

    /// <summary>The same functions as plain delegates, for the baseline.</summary>
    public static readonly Func<Yield1, CancellationToken, Task>[] Delegates = [F1];
}

public sealed class Yield1Handler1 : INotificationHandler<Yield1>
{
    public ValueTask Handle(Yield1 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

[Event("bench/yield-4")]
public sealed record Yield4(int Value) : INotification;

public static class Yield4Functions
{
    [Function("yield-4-1", Event = "bench/yield-4")]
    public static Task F1(Yield4 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-4-2", Event = "bench/yield-4")]
    public static Task F2(Yield4 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-4-3", Event = "bench/yield-4")]
    public static Task F3(Yield4 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-4-4", Event = "bench/yield-4")]
    public static Task F4(Yield4 data, CancellationToken ct) => Handlers.Yield(ct);

    /// <summary>The same functions as plain delegates, for the baseline.</summary>
    public static readonly Func<Yield4, CancellationToken, Task>[] Delegates = [F1, F2, F3, F4];
}

public sealed class Yield4Handler1 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield4Handler2 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield4Handler3 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield4Handler4 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

[Event("bench/yield-16")]
public sealed record Yield16(int Value) : INotification;

public static class Yield16Functions
{
    [Function("yield-16-1", Event = "bench/yield-16")]
    public static Task F1(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-2", Event = "bench/yield-16")]
    public static Task F2(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-3", Event = "bench/yield-16")]
    public static Task F3(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-4", Event = "bench/yield-16")]
    public static Task F4(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-5", Event = "bench/yield-16")]
    public static Task F5(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-6", Event = "bench/yield-16")]
    public static Task F6(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-7", Event = "bench/yield-16")]
    public static Task F7(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-8", Event = "bench/yield-16")]
    public static Task F8(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-9", Event = "bench/yield-16")]
    public static Task F9(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-10", Event = "bench/yield-16")]
    public static Task F10(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-11", Event = "bench/yield-16")]
    public static Task F11(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-12", Event = "bench/yield-16")]
    public static Task F12(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-13", Event = "bench/yield-16")]
    public static Task F13(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-14", Event = "bench/yield-16")]
    public static Task F14(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-15", Event = "bench/yield-16")]
    public static Task F15(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    [Function("yield-16-16", Event = "bench/yield-16")]
    public static Task F16(Yield16 data, CancellationToken ct) => Handlers.Yield(ct);

    /// <summary>The same functions as plain delegates, for the baseline.</summary>
    public static readonly Func<Yield16, CancellationToken, Task>[] Delegates = [F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15, F16];
}

public sealed class Yield16Handler1 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler2 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler3 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler4 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler5 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler6 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler7 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler8 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler9 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler10 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler11 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler12 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler13 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler14 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler15 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}

public sealed class Yield16Handler16 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Handlers.Yield(cancellationToken));
}
