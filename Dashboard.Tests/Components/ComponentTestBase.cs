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

namespace Dashboard.Tests.Components;

/// <summary>bUnit context with MudBlazor, a fake overlord client and a real feed; disposed asynchronously (MudBlazor's services are IAsyncDisposable).</summary>
public abstract class ComponentTestBase : IAsyncLifetime
{
    protected BunitContext Context { get; } = new();
    protected FakeOverlordClient Overlord { get; } = new();
    protected TaskFeed Feed { get; } = new(TimeProvider.System);
    protected FakeCoordinatorClient Coordinator { get; } = new();

    protected ComponentTestBase(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        Context.Services.AddMudServices();
        Context.Services.AddSingleton<IOverlordClient>(Overlord);
        Context.Services.AddSingleton<ITaskFeed>(Feed);
        Context.Services.AddSingleton<ICoordinatorClient>(Coordinator);
        Context.Services.AddSingleton(time);
        Context.Services.AddSingleton(new IngestionActivity(Feed, Overlord, time, NullLogger<IngestionActivity>.Instance));
        Context.Services.AddScoped<BrowserFiles>();
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
