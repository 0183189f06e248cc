namespace Dashboard.Components.Layout;

/// <summary>
/// The browser's theme choice lives in localStorage (wwwroot/js/theme.js); theme.js mirrors it into this cookie
/// so the server can prerender the chosen palette and the page does not flash the other theme first.
/// </summary>
public static class ThemeCookie
{
    public const string Name = "overlord-theme";
    public const string Dark = "dark";
    public const string Light = "light";

    public static bool IsDark(HttpContext? context) =>
        context?.Request.Cookies.TryGetValue(Name, out var value) == true && value == Dark;
}
