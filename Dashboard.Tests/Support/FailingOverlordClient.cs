using System.Reflection;
using System.Runtime.ExceptionServices;
using Dashboard.Core.Clients;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Support;

/// <summary>
/// Wraps the server's real <see cref="IOverlordClient"/> so that one method throws an unexpected exception whose message
/// holds a secret and a file path: what the exception boundary must log and never answer.
/// </summary>
public class FailingOverlordClient : DispatchProxy
{
    public const string Secret = "s3cr3t-password at /var/lib/overlord/secret.txt";

    private IOverlordClient _inner = null!;
    private string _failing = "";

    /// <summary>Replaces the registered client with one whose <paramref name="method"/> throws.</summary>
    public static void Install(IServiceCollection services, string method)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IOverlordClient));
        services.Remove(registered);
        services.AddSingleton(sp =>
        {
            var inner = (IOverlordClient)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
            var proxy = Create<IOverlordClient, FailingOverlordClient>();
            ((FailingOverlordClient)(object)proxy)._inner = inner;
            ((FailingOverlordClient)(object)proxy)._failing = method;
            return proxy;
        });
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == _failing)
        {
            throw new InvalidOperationException(Secret);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
