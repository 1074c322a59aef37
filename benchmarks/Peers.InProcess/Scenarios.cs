// The scenarios: for 1, 4 and 16 handlers, sync and Task.Yield, one payload type that is at once a FanOut event, a
// Mediator notification, a MassTransit message and a Wolverine message, and N handlers for each contender. Every handler
// calls the same body (benchmarks/FanOut.Benchmarks/Handlers.cs, linked). Written out flat rather than generated at build
// time so that a reader sees exactly what each contender gets.
//
// Besides the body: Mediator, MassTransit and Wolverine handlers pass the body's task through Tally.After (a null check
// of one static field while no check is counting), and Wolverine's handlers signal WolverineCountdown, the only way to
// know that all N handlers have run after PublishAsync returned. FanOut's functions need neither: each run's outcome
// comes back to the caller.
using FanOut;
using MassTransit;
using FanOut.Benchmarks;
using Mediator;

namespace Peers.InProcess;

[Event("bench/sync-1")]
public sealed record Sync1(int Value) : INotification;

public static class Sync1Functions
{
    [Function("sync-1-1", Event = "bench/sync-1")]
    public static Task F1(Sync1 data, CancellationToken ct) => Handlers.Sync(ct);

    /// <summary>The same functions as plain delegates, for the baseline.</summary>
    public static readonly Func<Sync1, CancellationToken, Task>[] Delegates = [F1];
}

public sealed class Sync1MediatorHandler1 : INotificationHandler<Sync1>
{
    public ValueTask Handle(Sync1 notification, CancellationToken cancellationToken) => new(Tally.After(0, Handlers.Sync(cancellationToken)));
}

public sealed class Sync1Consumer1 : IConsumer<Sync1>
{
    public Task Consume(ConsumeContext<Sync1> context) => Tally.After(0, Handlers.Sync(context.CancellationToken));
}

public static class Sync1WolverineHandler1
{
    public static Task Handle(Sync1 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(0, Handlers.Sync(cancellationToken)));
}

/// <summary>What each contender gets for 1 sync handler(s).</summary>
public static class Sync1Scenario
{
    public static readonly Scenario<Sync1> Instance = new(new Sync1(1), Sync1Functions.Delegates, [typeof(Sync1Consumer1)], [typeof(Sync1WolverineHandler1)]);
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

public sealed class Sync4MediatorHandler1 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Tally.After(0, Handlers.Sync(cancellationToken)));
}

public sealed class Sync4MediatorHandler2 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Tally.After(1, Handlers.Sync(cancellationToken)));
}

public sealed class Sync4MediatorHandler3 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Tally.After(2, Handlers.Sync(cancellationToken)));
}

public sealed class Sync4MediatorHandler4 : INotificationHandler<Sync4>
{
    public ValueTask Handle(Sync4 notification, CancellationToken cancellationToken) => new(Tally.After(3, Handlers.Sync(cancellationToken)));
}

public sealed class Sync4Consumer1 : IConsumer<Sync4>
{
    public Task Consume(ConsumeContext<Sync4> context) => Tally.After(0, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync4Consumer2 : IConsumer<Sync4>
{
    public Task Consume(ConsumeContext<Sync4> context) => Tally.After(1, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync4Consumer3 : IConsumer<Sync4>
{
    public Task Consume(ConsumeContext<Sync4> context) => Tally.After(2, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync4Consumer4 : IConsumer<Sync4>
{
    public Task Consume(ConsumeContext<Sync4> context) => Tally.After(3, Handlers.Sync(context.CancellationToken));
}

public static class Sync4WolverineHandler1
{
    public static Task Handle(Sync4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(0, Handlers.Sync(cancellationToken)));
}

public static class Sync4WolverineHandler2
{
    public static Task Handle(Sync4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(1, Handlers.Sync(cancellationToken)));
}

public static class Sync4WolverineHandler3
{
    public static Task Handle(Sync4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(2, Handlers.Sync(cancellationToken)));
}

public static class Sync4WolverineHandler4
{
    public static Task Handle(Sync4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(3, Handlers.Sync(cancellationToken)));
}

/// <summary>What each contender gets for 4 sync handler(s).</summary>
public static class Sync4Scenario
{
    public static readonly Scenario<Sync4> Instance = new(new Sync4(1), Sync4Functions.Delegates, [typeof(Sync4Consumer1), typeof(Sync4Consumer2), typeof(Sync4Consumer3), typeof(Sync4Consumer4)], [typeof(Sync4WolverineHandler1), typeof(Sync4WolverineHandler2), typeof(Sync4WolverineHandler3), typeof(Sync4WolverineHandler4)]);
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

public sealed class Sync16MediatorHandler1 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(0, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler2 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(1, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler3 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(2, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler4 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(3, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler5 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(4, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler6 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(5, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler7 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(6, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler8 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(7, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler9 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(8, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler10 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(9, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler11 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(10, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler12 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(11, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler13 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(12, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler14 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(13, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler15 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(14, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16MediatorHandler16 : INotificationHandler<Sync16>
{
    public ValueTask Handle(Sync16 notification, CancellationToken cancellationToken) => new(Tally.After(15, Handlers.Sync(cancellationToken)));
}

public sealed class Sync16Consumer1 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(0, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer2 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(1, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer3 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(2, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer4 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(3, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer5 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(4, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer6 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(5, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer7 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(6, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer8 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(7, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer9 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(8, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer10 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(9, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer11 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(10, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer12 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(11, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer13 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(12, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer14 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(13, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer15 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(14, Handlers.Sync(context.CancellationToken));
}

public sealed class Sync16Consumer16 : IConsumer<Sync16>
{
    public Task Consume(ConsumeContext<Sync16> context) => Tally.After(15, Handlers.Sync(context.CancellationToken));
}

public static class Sync16WolverineHandler1
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(0, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler2
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(1, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler3
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(2, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler4
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(3, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler5
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(4, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler6
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(5, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler7
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(6, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler8
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(7, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler9
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(8, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler10
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(9, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler11
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(10, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler12
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(11, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler13
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(12, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler14
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(13, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler15
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(14, Handlers.Sync(cancellationToken)));
}

public static class Sync16WolverineHandler16
{
    public static Task Handle(Sync16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(15, Handlers.Sync(cancellationToken)));
}

/// <summary>What each contender gets for 16 sync handler(s).</summary>
public static class Sync16Scenario
{
    public static readonly Scenario<Sync16> Instance = new(new Sync16(1), Sync16Functions.Delegates, [typeof(Sync16Consumer1), typeof(Sync16Consumer2), typeof(Sync16Consumer3), typeof(Sync16Consumer4), typeof(Sync16Consumer5), typeof(Sync16Consumer6), typeof(Sync16Consumer7), typeof(Sync16Consumer8), typeof(Sync16Consumer9), typeof(Sync16Consumer10), typeof(Sync16Consumer11), typeof(Sync16Consumer12), typeof(Sync16Consumer13), typeof(Sync16Consumer14), typeof(Sync16Consumer15), typeof(Sync16Consumer16)], [typeof(Sync16WolverineHandler1), typeof(Sync16WolverineHandler2), typeof(Sync16WolverineHandler3), typeof(Sync16WolverineHandler4), typeof(Sync16WolverineHandler5), typeof(Sync16WolverineHandler6), typeof(Sync16WolverineHandler7), typeof(Sync16WolverineHandler8), typeof(Sync16WolverineHandler9), typeof(Sync16WolverineHandler10), typeof(Sync16WolverineHandler11), typeof(Sync16WolverineHandler12), typeof(Sync16WolverineHandler13), typeof(Sync16WolverineHandler14), typeof(Sync16WolverineHandler15), typeof(Sync16WolverineHandler16)]);
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

public sealed class Yield1MediatorHandler1 : INotificationHandler<Yield1>
{
    public ValueTask Handle(Yield1 notification, CancellationToken cancellationToken) => new(Tally.After(0, Handlers.Yield(cancellationToken)));
}

public sealed class Yield1Consumer1 : IConsumer<Yield1>
{
    public Task Consume(ConsumeContext<Yield1> context) => Tally.After(0, Handlers.Yield(context.CancellationToken));
}

public static class Yield1WolverineHandler1
{
    public static Task Handle(Yield1 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(0, Handlers.Yield(cancellationToken)));
}

/// <summary>What each contender gets for 1 yield handler(s).</summary>
public static class Yield1Scenario
{
    public static readonly Scenario<Yield1> Instance = new(new Yield1(1), Yield1Functions.Delegates, [typeof(Yield1Consumer1)], [typeof(Yield1WolverineHandler1)]);
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

public sealed class Yield4MediatorHandler1 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Tally.After(0, Handlers.Yield(cancellationToken)));
}

public sealed class Yield4MediatorHandler2 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Tally.After(1, Handlers.Yield(cancellationToken)));
}

public sealed class Yield4MediatorHandler3 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Tally.After(2, Handlers.Yield(cancellationToken)));
}

public sealed class Yield4MediatorHandler4 : INotificationHandler<Yield4>
{
    public ValueTask Handle(Yield4 notification, CancellationToken cancellationToken) => new(Tally.After(3, Handlers.Yield(cancellationToken)));
}

public sealed class Yield4Consumer1 : IConsumer<Yield4>
{
    public Task Consume(ConsumeContext<Yield4> context) => Tally.After(0, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield4Consumer2 : IConsumer<Yield4>
{
    public Task Consume(ConsumeContext<Yield4> context) => Tally.After(1, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield4Consumer3 : IConsumer<Yield4>
{
    public Task Consume(ConsumeContext<Yield4> context) => Tally.After(2, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield4Consumer4 : IConsumer<Yield4>
{
    public Task Consume(ConsumeContext<Yield4> context) => Tally.After(3, Handlers.Yield(context.CancellationToken));
}

public static class Yield4WolverineHandler1
{
    public static Task Handle(Yield4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(0, Handlers.Yield(cancellationToken)));
}

public static class Yield4WolverineHandler2
{
    public static Task Handle(Yield4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(1, Handlers.Yield(cancellationToken)));
}

public static class Yield4WolverineHandler3
{
    public static Task Handle(Yield4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(2, Handlers.Yield(cancellationToken)));
}

public static class Yield4WolverineHandler4
{
    public static Task Handle(Yield4 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(3, Handlers.Yield(cancellationToken)));
}

/// <summary>What each contender gets for 4 yield handler(s).</summary>
public static class Yield4Scenario
{
    public static readonly Scenario<Yield4> Instance = new(new Yield4(1), Yield4Functions.Delegates, [typeof(Yield4Consumer1), typeof(Yield4Consumer2), typeof(Yield4Consumer3), typeof(Yield4Consumer4)], [typeof(Yield4WolverineHandler1), typeof(Yield4WolverineHandler2), typeof(Yield4WolverineHandler3), typeof(Yield4WolverineHandler4)]);
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

public sealed class Yield16MediatorHandler1 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(0, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler2 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(1, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler3 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(2, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler4 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(3, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler5 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(4, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler6 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(5, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler7 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(6, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler8 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(7, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler9 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(8, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler10 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(9, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler11 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(10, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler12 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(11, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler13 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(12, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler14 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(13, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler15 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(14, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16MediatorHandler16 : INotificationHandler<Yield16>
{
    public ValueTask Handle(Yield16 notification, CancellationToken cancellationToken) => new(Tally.After(15, Handlers.Yield(cancellationToken)));
}

public sealed class Yield16Consumer1 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(0, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer2 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(1, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer3 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(2, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer4 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(3, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer5 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(4, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer6 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(5, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer7 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(6, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer8 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(7, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer9 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(8, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer10 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(9, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer11 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(10, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer12 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(11, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer13 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(12, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer14 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(13, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer15 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(14, Handlers.Yield(context.CancellationToken));
}

public sealed class Yield16Consumer16 : IConsumer<Yield16>
{
    public Task Consume(ConsumeContext<Yield16> context) => Tally.After(15, Handlers.Yield(context.CancellationToken));
}

public static class Yield16WolverineHandler1
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(0, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler2
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(1, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler3
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(2, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler4
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(3, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler5
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(4, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler6
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(5, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler7
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(6, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler8
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(7, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler9
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(8, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler10
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(9, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler11
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(10, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler12
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(11, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler13
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(12, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler14
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(13, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler15
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(14, Handlers.Yield(cancellationToken)));
}

public static class Yield16WolverineHandler16
{
    public static Task Handle(Yield16 message, CancellationToken cancellationToken) => WolverineCountdown.After(Tally.After(15, Handlers.Yield(cancellationToken)));
}

/// <summary>What each contender gets for 16 yield handler(s).</summary>
public static class Yield16Scenario
{
    public static readonly Scenario<Yield16> Instance = new(new Yield16(1), Yield16Functions.Delegates, [typeof(Yield16Consumer1), typeof(Yield16Consumer2), typeof(Yield16Consumer3), typeof(Yield16Consumer4), typeof(Yield16Consumer5), typeof(Yield16Consumer6), typeof(Yield16Consumer7), typeof(Yield16Consumer8), typeof(Yield16Consumer9), typeof(Yield16Consumer10), typeof(Yield16Consumer11), typeof(Yield16Consumer12), typeof(Yield16Consumer13), typeof(Yield16Consumer14), typeof(Yield16Consumer15), typeof(Yield16Consumer16)], [typeof(Yield16WolverineHandler1), typeof(Yield16WolverineHandler2), typeof(Yield16WolverineHandler3), typeof(Yield16WolverineHandler4), typeof(Yield16WolverineHandler5), typeof(Yield16WolverineHandler6), typeof(Yield16WolverineHandler7), typeof(Yield16WolverineHandler8), typeof(Yield16WolverineHandler9), typeof(Yield16WolverineHandler10), typeof(Yield16WolverineHandler11), typeof(Yield16WolverineHandler12), typeof(Yield16WolverineHandler13), typeof(Yield16WolverineHandler14), typeof(Yield16WolverineHandler15), typeof(Yield16WolverineHandler16)]);
}
