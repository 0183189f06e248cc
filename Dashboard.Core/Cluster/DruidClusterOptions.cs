namespace Dashboard.Core.Cluster;

/// <summary>
/// The <c>Druid</c> configuration section. When <see cref="Url"/> is set the dashboard runs in cluster mode: it
/// administers that Apache Druid cluster and the in-process overlord does not start.
/// </summary>
public sealed class DruidClusterOptions
{
    public const string Section = "Druid";

    /// <summary>The router's (or the overlord's) base URL, e.g. <c>https://druid.example.com:9088</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Basic-auth user name; never logged or shown.</summary>
    public string? Username { get; set; }

    /// <summary>Basic-auth password; never logged or shown.</summary>
    public string? Password { get; set; }

    /// <summary>Accept a TLS certificate the machine does not trust (a test cluster's self-signed one).</summary>
    public bool AllowUntrustedCertificate { get; set; }

    /// <summary>Poll interval while any task is active.</summary>
    public TimeSpan ActivePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Poll interval while no task is active.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between attempts while the cluster cannot be reached (the backoff doubles up to it).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public static bool IsConfigured(string? url) => !string.IsNullOrWhiteSpace(url);

    /// <summary>The URL as parsed; throws with a message naming the key when it is not an http(s) URL.</summary>
    public Uri BaseUri()
    {
        if (!Uri.TryCreate(Url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"Druid:Url must be an http or https URL, such as http://router:8888 (got [{Url}]).");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidOperationException("Druid:Url must not carry credentials: set Druid:Username and Druid:Password instead.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    /// <summary>What the dashboard shows of the cluster: host and port, never credentials.</summary>
    public string DisplayHost()
    {
        var uri = BaseUri();
        return uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
    }

    public bool HasCredentials => !string.IsNullOrEmpty(Username);

    /// <summary>Never includes the credentials.</summary>
    public override string ToString() => $"Druid cluster {Url} (credentials {(HasCredentials ? "set" : "not set")})";
}
