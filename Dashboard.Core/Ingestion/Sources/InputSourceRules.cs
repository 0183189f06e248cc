using Dashboard.Core.Ingestion.Spec;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>
/// Where ingestion may read: local paths by <see cref="LocalInputRules"/> (allowed folders, links followed, never the
/// data dir's own files), http URIs by <see cref="OutboundHttpRules"/> (allowed protocols and hosts, never the server's
/// own network unless the host is allowed by name). Checked when a task is submitted, so a spec that breaks a rule is
/// a 400, and again when the task reads.
/// </summary>
public sealed class InputSourceRules(LocalInputRules local, OutboundHttpRules http)
{
    public IReadOnlyList<string> AllowedBaseDirs => local.AllowedBaseDirs;

    public LocalInputRules Local => local;

    public OutboundHttpRules Http => http;

    /// <summary>Resolves a path from a spec against the working directory, as Druid resolves relative local paths.</summary>
    public static string Resolve(string path) => Path.GetFullPath(path, Environment.CurrentDirectory);

    /// <summary>The checks that need no lookup: local paths and filters, protocols, hosts and literal addresses.</summary>
    public void Check(InputSourceSpec source)
    {
        switch (source)
        {
            case LocalInputSourceSpec spec:
                local.Check(spec);
                break;
            case HttpInputSourceSpec spec:
                foreach (var uri in spec.Uris)
                {
                    http.Check(uri);
                }

                break;
        }
    }

    /// <summary><see cref="Check"/>, and the addresses http hosts resolve to now: the checks a submission gets.</summary>
    public async Task CheckAsync(InputSourceSpec source, CancellationToken cancellationToken)
    {
        Check(source);
        if (source is HttpInputSourceSpec spec)
        {
            foreach (var uri in spec.Uris)
            {
                await http.CheckAsync(uri, cancellationToken);
            }
        }
    }

    /// <summary>Checks one local path; returns where it really is (links followed), the path a reader should open.</summary>
    public string CheckLocal(string path) => local.CheckPath(path);

    public void CheckHttp(string uri) => http.Check(uri);
}
