using Dashboard.Core.Security;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// The sign-in form, rendered statically: it posts to <see cref="Security.LoginEndpoints.LoginPostPath"/> with an
/// antiforgery token. Without users there is nobody to sign in as, so it goes home.
/// </summary>
public partial class Login
{
    [SupplyParameterFromQuery(Name = "error")]
    public string? Error { get; set; }

    /// <summary>The user name of the failed attempt, so only the password needs typing again.</summary>
    [SupplyParameterFromQuery(Name = "user")]
    public string? UserName { get; set; }

    [SupplyParameterFromQuery(Name = "ReturnUrl")]
    public string? ReturnUrl { get; set; }

    [Inject] private UserDirectory Users { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized()
    {
        if (!Users.HasUsers)
        {
            Navigation.NavigateTo("/");
        }
    }
}
