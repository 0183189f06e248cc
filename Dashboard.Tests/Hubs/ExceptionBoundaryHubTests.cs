using System.Text.Json.Nodes;
using Dashboard.Hosting;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Hubs;

/// <summary>
/// The boundary's answer for the push hub's HTTP requests (negotiate, long polling, the WebSocket upgrade): Druid's
/// 500 body with the correlation id, as for the API; pages are left to the styled error page.
/// </summary>
public class ExceptionBoundaryHubTests
{
    [Theory]
    [InlineData("/hubs/tasks/negotiate", true)]
    [InlineData("/hubs/tasks", true)]
    [InlineData("/login", false)]
    [InlineData("/tasks", false)]
    public async Task UnexpectedError_OnHubPath_IsDruid500WithCorrelationId_OnPage_IsLeftToTheErrorPage(string path, bool answered)
    {
        var logs = new LogCapture();
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services, TraceIdentifier = "trace-42" };
        context.Request.Method = "POST";
        context.Request.Path = "/Error"; // the exception handler has already pointed the request at its page
        context.Features.Set<IExceptionHandlerFeature>(new ExceptionHandlerFeature { Path = path, Error = new InvalidOperationException("s3cr3t") });
        context.Response.Body = new MemoryStream();
        var handler = new DruidExceptionHandler(services.GetRequiredService<ILogger<DruidExceptionHandler>>());

        var handled = await handler.TryHandleAsync(context, new InvalidOperationException("s3cr3t"), default);

        Assert.Equal(answered, handled);
        Assert.Equal("trace-42", context.Response.Headers[ExceptionBoundary.CorrelationHeader].ToString());
        Assert.Contains(logs.Lines, l => l.Contains("trace-42") && l.Contains(path) && l.Contains("s3cr3t"));
        if (answered)
        {
            Assert.Equal(500, context.Response.StatusCode);
            var body = System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
            Assert.DoesNotContain("s3cr3t", body);
            Assert.Equal("trace-42", JsonNode.Parse(body)!["context"]!["correlationId"]!.GetValue<string>());
        }
    }
}
