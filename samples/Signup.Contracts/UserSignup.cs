using FanOut;

namespace Signup.Contracts;

/// <summary>A user signed up. Sent once by the sign-up page; every function of the event runs on its own.</summary>
[Event("app/user.signup")]
public sealed record UserSignup(User User, string Plan);

/// <summary>The new user.</summary>
public sealed record User(string Id, string Email, string Name);
