using System.Text.Json.Serialization;

namespace Dashboard.Core.Tasks;

/// <summary>Where a task runs. Unknown is <c>{"host":null,"port":-1,"tlsPort":-1}</c>.</summary>
public sealed record TaskLocation(
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("tlsPort")] int TlsPort)
{
    public static readonly TaskLocation Unknown = new(null, -1, -1);

    [JsonIgnore]
    public bool IsUnknown => Host is null;

    /// <summary><c>host:port</c> as Druid's sys.tasks shows it, or null when unknown.</summary>
    public override string ToString() => Host is null ? "" : $"{Host}:{(Port >= 0 ? Port : TlsPort)}";
}
