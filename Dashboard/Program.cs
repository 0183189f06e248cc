using Dashboard.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddDashboard();

var app = builder.Build();
app.UseDashboard();
app.Run();

/// <summary>Entry point, public so tests can host the server with WebApplicationFactory.</summary>
public partial class Program;
