namespace Dashboard.Security;

/// <summary>What a refused sign-in says: who is locked, from where, for how long and why.</summary>
public static class SignInMessages
{
    public static string Locked(string user, SignInLock locked) => locked.ForUser
        ? $"Too many failed sign-ins for user [{user}] from this address. Wait {locked.RetryAfterSeconds} s, then try again; " +
          "other users of this address are not affected."
        : $"Too many failed sign-ins from this address (any user name). Wait {locked.RetryAfterSeconds} s, then try again; " +
          "check the scripts that sign in from this address for a wrong password.";

    public static string FormLocked(string user, SignInLock locked) => locked.ForUser
        ? $"Too many sign-in attempts for user [{user}] from this address. Wait {locked.RetryAfterSeconds} s, then try again."
        : $"Too many sign-in attempts from this address. Wait {locked.RetryAfterSeconds} s, then try again.";
}
