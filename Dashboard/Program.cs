using Dashboard.Hosting;
using Dashboard.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddDashboard();

var app = builder.Build();
try
{
    app.UseDashboard();
}
catch (StartupRefusedException)
{
    // The reason is the one line already logged; disposing the app flushes the console logger's queue, which a bare
    // return could leave unwritten.
    await app.DisposeAsync();
    return 1;
}

app.Run();
return 0;

/// <summary>Entry point, public so tests can host the server with WebApplicationFactory.</summary>
public partial class Program;
