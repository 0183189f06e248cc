using Dashboard.Core.Security;
using Dashboard.Security;

namespace Dashboard.Hubs;

public static class TasksHubExtensions
{
    public static IServiceCollection AddTasksHub(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddSingleton<TaskSubscriptions>();
        services.AddHostedService<TaskHubBroadcaster>();
        return services;
    }

    public static IEndpointRouteBuilder MapTasksHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<TasksHub>(TasksHub.Path).RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        return endpoints;
    }
}
