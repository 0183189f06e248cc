namespace Dashboard.Core.Errors;

/// <summary>How an error is written on the wire; Druid uses several shapes (druid-behaviour.md §0.2).</summary>
public enum ErrorBodyShape
{
    /// <summary><c>{"error":"druidException","errorCode":...,"context":{}}</c></summary>
    ErrorResponse,

    /// <summary><c>{"error":"message"}</c></summary>
    ErrorMap,

    /// <summary>The message as plain text.</summary>
    PlainText,

    /// <summary>The message as the body, but labelled application/json, as Druid does for some String entities.</summary>
    PlainTextLabelledJson,

    /// <summary>No body at all.</summary>
    Empty,
}

/// <summary>
/// An error the overlord reports to its caller: the HTTP status, the body shape and the message an operator reads.
/// The core throws it; the HTTP layer and the Druid HTTP client translate it to and from the wire.
/// </summary>
public sealed class DruidException : Exception
{
    public DruidException(int statusCode, ErrorBodyShape shape, string message, string errorCode = "general",
        string category = "UNCATEGORIZED", string persona = "USER", IReadOnlyDictionary<string, string>? context = null)
        : base(message)
    {
        StatusCode = statusCode;
        Shape = shape;
        ErrorCode = errorCode;
        Category = category;
        Persona = persona;
        Context = context ?? new Dictionary<string, string>();
    }

    public int StatusCode { get; }
    public ErrorBodyShape Shape { get; }
    public string ErrorCode { get; }
    public string Category { get; }
    public string Persona { get; }
    public IReadOnlyDictionary<string, string> Context { get; }

    public ErrorResponse ToErrorResponse() => new("druidException", ErrorCode, Persona, Category, Message, Context);

    public static DruidException InvalidInput(string message, int statusCode = 400) =>
        new(statusCode, ErrorBodyShape.ErrorResponse, message, "invalidInput", "INVALID_INPUT");

    public static DruidException EntryAlreadyExists(string message) =>
        new(400, ErrorBodyShape.ErrorResponse, message, "entryAlreadyExists", "INVALID_INPUT");

    public static DruidException CapacityExceeded(string message) =>
        new(429, ErrorBodyShape.ErrorResponse, message, "general", "CAPACITY_EXCEEDED", "OPERATOR");

    public static DruidException ErrorMap(int statusCode, string message) =>
        new(statusCode, ErrorBodyShape.ErrorMap, message);

    public static DruidException Text(int statusCode, string message) =>
        new(statusCode, ErrorBodyShape.PlainText, message);

    public static DruidException TaskNotFound(string taskId) =>
        Text(404, $"Cannot find any task with id: [{taskId}]");
}
