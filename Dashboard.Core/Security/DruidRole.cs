namespace Dashboard.Core.Security;

/// <summary>What a user may do: each role includes the ones before it.</summary>
public enum DruidRole
{
    /// <summary>Reads tasks, reports, logs, datasources and the status endpoints.</summary>
    Viewer = 0,

    /// <summary>Also submits tasks and SQL ingestions, shuts tasks down and cleans pending segments.</summary>
    Operator = 1,

    /// <summary>Also manages users and reads the audit log.</summary>
    Admin = 2,
}

public static class DruidRoles
{
    public static bool TryParse(string? text, out DruidRole role) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out role) && Enum.IsDefined(role);

    public static DruidRole Parse(string? text, string owner) => TryParse(text, out var role)
        ? role
        : throw new ArgumentException($"Unknown role [{text}] for {owner}: use Viewer, Operator or Admin.");
}
