using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>
/// Where ingestion may read: local paths only inside the allowed folders (after resolving <c>..</c> and links), http only
/// with the allowed protocols and hosts. Checked when a task is submitted, so a spec that breaks a rule is a 400.
/// </summary>
public sealed class InputSourceRules(IOptions<IngestionOptions> options, DataDirectory dataDirectory)
{
    public IReadOnlyList<string> AllowedBaseDirs { get; } = (options.Value.AllowedBaseDirs.Count > 0
            ? options.Value.AllowedBaseDirs
            : [Environment.CurrentDirectory, dataDirectory.Root])
        .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))).ToList();

    /// <summary>Resolves a path from a spec against the working directory, as Druid resolves relative local paths.</summary>
    public static string Resolve(string path) => Path.GetFullPath(path, Environment.CurrentDirectory);

    public void Check(InputSourceSpec source)
    {
        switch (source)
        {
            case LocalInputSourceSpec local:
                if (local.BaseDir is null && local.Files.Count == 0)
                {
                    throw DruidException.ErrorMap(400, "spec.ioConfig.inputSource: a local input source needs baseDir (with filter) or files.");
                }

                foreach (var path in (local.BaseDir is null ? [] : new[] { local.BaseDir }).Concat(local.Files))
                {
                    CheckLocal(path);
                }

                break;
            case HttpInputSourceSpec http:
                foreach (var uri in http.Uris)
                {
                    CheckHttp(uri);
                }

                break;
        }
    }

    public void CheckLocal(string path)
    {
        var full = Resolve(path);
        if (!IsAllowed(full) || (File.Exists(full) || Directory.Exists(full)) && !IsAllowed(RealPath(full)))
        {
            throw DruidException.ErrorMap(400,
                $"Local input path [{path}] resolves to [{full}], which is outside the folders ingestion may read " +
                $"({string.Join(", ", AllowedBaseDirs)}). Move the data there, or add its folder to Ingestion:AllowedBaseDirs.");
        }
    }

    public void CheckHttp(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw DruidException.ErrorMap(400, $"Http input URI [{uri}] is not an absolute URI.");
        }

        if (!options.Value.AllowedHttpProtocols.Contains(parsed.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            throw DruidException.ErrorMap(400,
                $"Only [{string.Join(", ", options.Value.AllowedHttpProtocols)}] protocols are allowed for http input sources (Ingestion:AllowedHttpProtocols); [{uri}] uses [{parsed.Scheme}].");
        }

        var hosts = options.Value.AllowedHttpHosts;
        if (hosts.Count > 0 && !hosts.Contains(parsed.Host, StringComparer.OrdinalIgnoreCase))
        {
            throw DruidException.ErrorMap(400,
                $"Http input host [{parsed.Host}] is not in Ingestion:AllowedHttpHosts [{string.Join(", ", hosts)}].");
        }
    }

    private bool IsAllowed(string full) =>
        AllowedBaseDirs.Any(dir => full == dir || full.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    private static string RealPath(string full)
    {
        var info = (FileSystemInfo)(File.Exists(full) ? new FileInfo(full) : new DirectoryInfo(full));
        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
    }
}
