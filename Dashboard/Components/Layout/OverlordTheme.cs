using MudBlazor;

namespace Dashboard.Components.Layout;

/// <summary>The dashboard's MudBlazor theme: system fonts only (the dashboard must work offline) and calm ops colours.</summary>
public static class OverlordTheme
{
    private static readonly string[] SystemFonts =
    [
        "system-ui", "-apple-system", "Segoe UI", "Roboto", "Ubuntu", "Cantarell", "Noto Sans",
        "Liberation Sans", "Helvetica Neue", "Arial", "sans-serif",
    ];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1d5fbf",
            Secondary = "#6b4fbb",
            AppbarBackground = "#1f2937",
            AppbarText = "#f3f4f6",
            Background = "#f4f6f9",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1f2937",
            DrawerIcon = "#4b5563",
            TextPrimary = "#1f2937",
            TextSecondary = "#4b5563",
            LinesDefault = "#e5e7eb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa7f0",
            PrimaryContrastText = "#0b1220", // white on this light blue is 2.3:1; dark text is 8:1
            Secondary = "#b39ddb",
            AppbarBackground = "#111827",
            AppbarText = "#e5e7eb",
            Background = "#181c23",
            Surface = "#212631",
            DrawerBackground = "#1b2029",
            DrawerText = "#e5e7eb",
            DrawerIcon = "#9ca3af",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#9ca3af",
            LinesDefault = "#2f3744",
        },
        Typography = BuildTypography(),
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };

    private static Typography BuildTypography()
    {
        var typography = new Typography();
        BaseTypography[] all =
        [
            typography.Default, typography.H1, typography.H2, typography.H3, typography.H4, typography.H5,
            typography.H6, typography.Subtitle1, typography.Subtitle2, typography.Body1, typography.Body2,
            typography.Button, typography.Caption, typography.Overline,
        ];
        foreach (var style in all)
        {
            style.FontFamily = SystemFonts;
        }

        return typography;
    }
}
