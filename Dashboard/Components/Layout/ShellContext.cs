namespace Dashboard.Components.Layout;

/// <summary>
/// What the shell knows before the circuit starts, handed from the static <see cref="App"/> to the
/// interactive <see cref="Routes"/> and cascaded to the layout.
/// </summary>
/// <param name="Mode">Text of the mode chip in the app bar: <see cref="EmbeddedMode"/>, or the cluster mode's name.</param>
/// <param name="DarkMode">Theme remembered by this browser, read from its cookie so the first paint is already right.</param>
/// <param name="RemoteAddress">The browser's address as the page request came in, for the audit of writes made in the dashboard.</param>
public sealed record ShellContext(string Mode = ShellContext.EmbeddedMode, bool DarkMode = false, string? RemoteAddress = null)
{
    public const string EmbeddedMode = "Embedded";
}
