using Bunit;
using Dashboard.Components;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Dashboard.Model.Wall;
using Microsoft.Extensions.Logging.Abstractions;
using Dashboard.Api;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Dashboard.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Tests.Components;

/// <summary>bUnit context with MudBlazor, a fake overlord client and a real feed; disposed asynchronously (MudBlazor's services are IAsyncDisposable).</summary>
public abstract class ComponentTestBase : IAsyncLifetime
{
    protected BunitContext Context { get; } = new();
    protected FakeOverlordClient Overlord { get; } = new();
    protected TaskFeed Feed { get; } = new(TimeProvider.System);
    protected FakeCoordinatorClient Coordinator { get; } = new();
    protected InMemoryAuditLog Audit { get; } = new();

    /// <summary>No users unless a test adds them (everyone is then the anonymous admin, as on a fresh loopback server).</summary>
    protected UserDirectory Users { get; } = new(new SecurityOptions(), new InMemoryUserStore());

    /// <summary>Who the rendered components see as signed in; <see cref="SignIn"/> changes it.</summary>
    protected TestAuthenticationStateProvider SignedIn { get; } = new();

    /// <summary>Creates a user with this role and signs it in.</summary>
    protected async Task SignInAsync(string name, DruidRole role)
    {
        await Users.CreateAsync(name, "password-" + name, role, null, CancellationToken.None);
        SignedIn.SignIn(name, role);
    }

    /// <summary>Creates a user with this role, narrowed by these datasource permissions, and signs it in.</summary>
    protected async Task SignInAsync(string name, DruidRole role, IReadOnlyList<DataSourcePermission> permissions)
    {
        await Users.CreateAsync(name, "password-" + name, role, permissions, CancellationToken.None);
        SignedIn.SignIn(name, role);
    }

    /// <param name="time">The clock components see (the system's by default).</param>
    /// <param name="services">Registrations that replace the fakes (e.g. a real server's client and feed).</param>
    protected ComponentTestBase(TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        time ??= TimeProvider.System;
        Context.Services.AddMudServices();
        Context.Services.AddSingleton<IOverlordClient>(Overlord);
        Context.Services.AddSingleton<ITaskFeed>(Feed);
        Context.Services.AddSingleton<ICoordinatorClient>(Coordinator);
        Context.Services.AddSingleton(time);
        Context.Services.AddSingleton(new IngestionActivity(Feed, Overlord, time, NullLogger<IngestionActivity>.Instance));
        Context.Services.AddScoped<BrowserFiles>();
        Context.Services.AddSingleton<IAuditLog>(Audit);
        Context.Services.AddSingleton<OperatorAudit>();
        Context.Services.AddSingleton(Users);
        Context.Services.AddSingleton<DruidAuthorizer>();
        Context.Services.AddSingleton<AuthenticationStateProvider>(SignedIn);
        Context.Services.AddScoped<OperatorActions>();
        Context.Services.AddScoped<ReadScope>();
        Context.Services.AddScoped<AdminActions>();
        Context.Services.AddSingleton(Dashboard.Hosting.DashboardMode.Embedded);
        Context.Services.AddScoped<Dashboard.Model.ServicesView>();
        services?.Invoke(Context.Services);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Renders a page the way the layout hosts it: after MudBlazor's popover and dialog providers.</summary>
    protected IRenderedComponent<T> RenderPage<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        Context.Render<MudPopoverProvider>();
        Context.Render<MudDialogProvider>();
        return parameters is null ? Context.Render<T>() : Context.Render<T>(parameters);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
