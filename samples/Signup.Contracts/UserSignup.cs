using FanOut;

namespace Signup.Contracts;

/// <summary>A user signed up. Sent once by the sign-up page; every function of the event runs on its own.</summary>
[Event("app/user.signup")]
public sealed record UserSignup(User User, string Plan);

/// <summary>The new user.</summary>
public sealed record User(string Id, string Email, string Name);

/// <summary>A user used the product for the first time. The nudge function waits for it (matched on the user's id).</summary>
[Event("app/user.activated")]
public sealed record UserActivated(UserRef User, string Feature);

/// <summary>Which user, by id: the same JSON path (<c>data.user.id</c>) as in <see cref="UserSignup"/>.</summary>
public sealed record UserRef(string Id);
