namespace Dashboard.Hosting;

/// <summary>Request limits applied at the door, from the <c>Overlord</c> configuration section.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Overlord";

    /// <summary>Largest request body accepted, in bytes (16 MiB: far more than a real task spec or SQL statement).</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How much of a refused body is read and discarded so that clients which send the whole body before reading the
    /// answer (HttpClient, Python requests) see the 413 instead of a broken connection: four times the limit. A longer
    /// body, or one sent with <c>Expect: 100-continue</c>, is not read: the connection closes after the 413.
    /// </summary>
    public long DrainLimitBytes => MaxRequestBodyBytes > long.MaxValue / 4 ? long.MaxValue : MaxRequestBodyBytes * 4;
}
