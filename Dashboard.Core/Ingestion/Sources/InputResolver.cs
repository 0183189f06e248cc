using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Security;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>Turns an input source into local files to read: matches local globs, writes inline data, downloads http URIs.</summary>
public sealed class InputResolver(InputSourceRules rules, OutboundHttpClient http)
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
        // Each file is read at the place its check resolved it to (links followed), so a link swapped afterwards is not followed.
        var files = new List<InputFile>();
        foreach (var file in local.Files)
        {
            var real = rules.CheckLocal(file);
            files.Add(File.Exists(real) ? new InputFile(real, file) : throw new FileNotFoundException($"Input file [{file}] does not exist (resolved to [{real}])."));
        }

        if (local.BaseDir is { } baseDir)
        {
            var root = InputSourceRules.Resolve(baseDir);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"Input baseDir [{baseDir}] does not exist (resolved to [{root}]).");
            }

            var matched = LocalInputRules.Match(root, local.Filter);
            foreach (var path in matched)
            {
                files.Add(new InputFile(rules.CheckLocal(path), path));
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
        using var response = await http.GetAsync(uri, BasicAuthorization(source), cancellationToken);
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

    /// <summary>The Basic credentials of an http input source, if it has any.</summary>
    public static AuthenticationHeaderValue? BasicAuthorization(HttpInputSourceSpec source) => source.Username is null
        ? null
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.Username}:{source.Password}")));

    /// <summary>Druid's local filter: a file-name wildcard with <c>*</c> and <c>?</c>.</summary>
    public static Regex GlobToRegex(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
}
