using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Security;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary>
/// Druid's sampler: <c>POST /druid/indexer/v1/sampler</c> reads a bounded sample of an input source and answers with the
/// rows as read and as parsed. Nothing is written. Bad input is a 400 <c>{"error": ...}</c> as Druid's SamplerException.
/// </summary>
public static class SamplerApi
{
    public static IEndpointRouteBuilder MapSamplerApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/indexer/v1").AddEndpointFilter<DruidErrorFilter>().WithTags("Sampler API");
        api.MapPost("/sampler", SampleAsync).RequireDruidAccess(DruidAccess.State(DruidAction.WRITE)); // it returns raw input contents: what submitting needs
        return endpoints;
    }

    private static async Task<IResult> SampleAsync(HttpRequest request, IOverlordClient overlord, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadAsync(request, ct);
        var response = await overlord.SampleAsync(body as JsonObject ?? [], ct);
        return DruidResults.Json(response);
    }
}
