using System.Text;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;

namespace Dashboard.Api;

/// <summary>Writes answers the way Druid does: JSON with nulls kept, and errors in the shape each endpoint uses.</summary>
public static class DruidResults
{
    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, DruidJson.Options, "application/json", statusCode);

    /// <summary>A raw string body labelled application/json, as Druid sends String entities (e.g. <c>GET /leader</c>).</summary>
    public static IResult RawJsonLabelled(string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Text(body, "application/json", Encoding.UTF8, statusCode);

    public static IResult Error(DruidException error) => error.Shape switch
    {
        ErrorBodyShape.ErrorResponse => Json(error.ToErrorResponse(), error.StatusCode),
        ErrorBodyShape.ErrorMap => Json(new Dictionary<string, string> { ["error"] = error.Message }, error.StatusCode),
        ErrorBodyShape.PlainText => Results.Text(error.Message, "text/plain", Encoding.UTF8, error.StatusCode),
        ErrorBodyShape.PlainTextLabelledJson => RawJsonLabelled(error.Message, error.StatusCode),
        _ => Results.StatusCode(error.StatusCode),
    };
}
