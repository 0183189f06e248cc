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
    return 1; // the reason is the one line already logged
}

app.Run();
return 0;

/// <summary>Entry point, public so tests can host the server with WebApplicationFactory.</summary>
public partial class Program;
