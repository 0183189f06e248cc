using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Security;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>Turns an input source into local files to read: matches local globs, writes inline data, downloads http URIs.</summary>
public sealed class InputResolver(InputSourceRules rules, HttpClient http)
{
    public async Task<IReadOnlyList<InputFile>> ResolveAsync(InputSourceSpec source, string workDir, CancellationToken cancellationToken)
    {
        rules.Check(source);
        switch (source)
        {
            case LocalInputSourceSpec local:
                return ResolveLocal(local);
            case InlineInputSourceSpec inline:
                var path = Path.Combine(workDir, "inline-data");
                await File.WriteAllTextAsync(path, inline.Data, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
                return [new InputFile(path, "inline data")];
            case HttpInputSourceSpec remote:
                var files = new List<InputFile>();
                for (var i = 0; i < remote.Uris.Count; i++)
                {
                    files.Add(await DownloadAsync(remote, remote.Uris[i], Path.Combine(workDir, $"http-{i}"), cancellationToken));
                }

                return files;
            default:
                throw new InvalidOperationException($"Unknown input source {source.GetType().Name}.");
        }
    }

    private List<InputFile> ResolveLocal(LocalInputSourceSpec local)
    {
        var files = new List<InputFile>();
        foreach (var file in local.Files)
        {
            var full = InputSourceRules.Resolve(file);
            files.Add(File.Exists(full) ? new InputFile(full, file) : throw new FileNotFoundException($"Input file [{file}] does not exist (resolved to [{full}])."));
        }

        if (local.BaseDir is { } baseDir)
        {
            var root = InputSourceRules.Resolve(baseDir);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"Input baseDir [{baseDir}] does not exist (resolved to [{root}]).");
            }

            var pattern = GlobToRegex(local.Filter ?? "*");
            var matched = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => pattern.IsMatch(Path.GetFileName(f)))
                .Order(StringComparer.Ordinal)
                .ToList();
            foreach (var path in matched)
            {
                rules.CheckLocal(path);
                files.Add(new InputFile(path, path));
            }

            if (matched.Count == 0)
            {
                throw new FileNotFoundException($"No input file in baseDir [{baseDir}] (resolved to [{root}]) matches filter [{local.Filter ?? "*"}].");
            }
        }

        return files;
    }

    private async Task<InputFile> DownloadAsync(HttpInputSourceSpec source, string uri, string pathPrefix, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (source.Username is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.Username}:{source.Password}")));
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Http input [{SecretMasker.MaskText(uri)}] answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        // Keep the URI's file extension so compressed inputs (.gz) are read as such.
        var extension = Path.GetExtension(new Uri(uri).AbsolutePath);
        var path = pathPrefix + (extension == ".gz" ? Path.GetExtension(Path.GetFileNameWithoutExtension(new Uri(uri).AbsolutePath)) + ".gz" : extension);
        await using (var file = File.Create(path))
        {
            await response.Content.CopyToAsync(file, cancellationToken);
        }

        return new InputFile(path, SecretMasker.MaskText(uri));
    }

    /// <summary>Druid's local filter: a file-name wildcard with <c>*</c> and <c>?</c>.</summary>
    public static Regex GlobToRegex(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
}
