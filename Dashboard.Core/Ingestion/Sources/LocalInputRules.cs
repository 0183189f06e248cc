using System.IO.Enumeration;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>
/// Where a <c>local</c> input source may read: every path is resolved (<c>..</c> removed, every symbolic link on the way
/// followed to its final target) and must lie inside <c>Ingestion:AllowedBaseDirs</c> both as written and as resolved,
/// and never in the data dir's own contents (<see cref="DataDirectory.PrivateEntries"/>), even when an allowed folder
/// holds the data dir. The filter is Druid's file-name wildcard, so it may not name folders.
/// </summary>
public sealed class LocalInputRules(IOptions<IngestionOptions> options, DataDirectory dataDirectory)
{
    private const int MaxLinks = 40;

    private readonly string[] _dataRoots = [Path.GetFullPath(dataDirectory.Root), RealPath(Path.GetFullPath(dataDirectory.Root))];

    public IReadOnlyList<string> AllowedBaseDirs { get; } = (options.Value.AllowedBaseDirs.Count > 0
            ? options.Value.AllowedBaseDirs
            : [Environment.CurrentDirectory, dataDirectory.Root])
        .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))).ToList();

    /// <summary>
    /// Checks a local input source as a whole, as at submission: the filter, baseDir and files, and every file the filter
    /// matches in baseDir now (a file added later is checked when the task reads it).
    /// </summary>
    public void Check(LocalInputSourceSpec local)
    {
        if (local.BaseDir is null && local.Files.Count == 0)
        {
            throw DruidException.ErrorMap(400, "spec.ioConfig.inputSource: a local input source needs baseDir (with filter) or files.");
        }

        CheckFilter(local.Filter);
        foreach (var file in local.Files)
        {
            CheckPath(file);
        }

        if (local.BaseDir is { } baseDir)
        {
            CheckPath(baseDir);
            var root = InputSourceRules.Resolve(baseDir);
            if (Directory.Exists(root))
            {
                List<string> matched;
                try
                {
                    matched = Match(root, local.Filter);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw DruidException.ErrorMap(400, $"Cannot list local input baseDir [{baseDir}] (resolved to [{root}]): {ex.Message}");
                }

                foreach (var file in matched)
                {
                    CheckPath(file);
                }
            }
        }
    }

    /// <summary>
    /// The files under <paramref name="root"/> and its subfolders whose name matches the filter, in order. Links to
    /// folders are followed as Druid follows them, each real folder once, so a link to a parent cannot loop.
    /// </summary>
    public static List<string> Match(string root, string? filter)
    {
        var pattern = InputResolver.GlobToRegex(filter ?? "*");
        var visited = new HashSet<string>(StringComparer.Ordinal) { RealPath(root) };
        var files = new FileSystemEnumerable<string>(root, (ref FileSystemEntry entry) => entry.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && pattern.IsMatch(entry.FileName),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => visited.Add(RealPath(entry.ToFullPath())),
        };
        return files.Order(StringComparer.Ordinal).ToList();
    }

    public static void CheckFilter(string? filter)
    {
        if (filter is not null && (filter.Contains('/') || filter.Contains('\\') || filter.Contains("..", StringComparison.Ordinal)))
        {
            throw DruidException.ErrorMap(400,
                $"Local input filter [{filter}] may not contain a path separator or '..': Druid's filter is a file-name wildcard (* and ?) " +
                "matched in baseDir and its subfolders. Put the folder in baseDir and only the file-name pattern in filter.");
        }
    }

    /// <summary>Refuses a path outside the allowed folders or in the data dir's own contents, as written or once its links are followed.</summary>
    /// <returns>The path's real location (links followed), which is what a reader should open.</returns>
    public string CheckPath(string path)
    {
        var full = InputSourceRules.Resolve(path);
        var real = RealPath(full);
        if (!IsAllowed(full) || !IsAllowed(real))
        {
            throw DruidException.ErrorMap(400,
                $"Local input path [{path}] resolves to [{real}], which is outside the folders ingestion may read " +
                $"({string.Join(", ", AllowedBaseDirs)}). Move the data there, or add its folder to Ingestion:AllowedBaseDirs.");
        }

        if ((PrivateEntry(full) ?? PrivateEntry(real)) is { } entry)
        {
            throw DruidException.ErrorMap(400,
                $"Local input path [{path}] resolves to [{real}], which is the server's own [{entry}] in the data dir {_dataRoots[0]} " +
                $"(metadata store, keys, task logs, segments, staging and task files); ingestion never reads them. " +
                $"Put input files in a folder of their own (e.g. {Path.Combine(_dataRoots[0], "input")}).");
        }

        return real;
    }

    private bool IsAllowed(string full) =>
        AllowedBaseDirs.Any(dir => full == dir || full.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    /// <summary>The data dir entry (e.g. <c>metadata.db</c>, <c>keys</c>) that <paramref name="full"/> is or lies in, if it is one of the server's own.</summary>
    private string? PrivateEntry(string full)
    {
        foreach (var root in _dataRoots)
        {
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var first = full[(root.Length + 1)..].Split(Path.DirectorySeparatorChar)[0];
            if (DataDirectory.PrivateEntries.FirstOrDefault(e => first == e || first.StartsWith(e + "-", StringComparison.Ordinal)) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>
    /// Like realpath(3): the absolute path with every symbolic link along it replaced by its target, repeatedly; the
    /// part that does not exist (yet) is kept as written.
    /// </summary>
    public static string RealPath(string full)
    {
        var path = Path.GetFullPath(full);
        for (var links = 0; links <= MaxLinks; links++)
        {
            var root = Path.GetPathRoot(path)!;
            var parts = path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? relinked = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Combine(current, parts[i]);
                var target = new FileInfo(next).LinkTarget;
                if (target is not null)
                {
                    relinked = Path.Combine([Path.GetFullPath(target, current), .. parts[(i + 1)..]]);
                    break;
                }

                current = next;
            }

            if (relinked is null)
            {
                return path;
            }

            path = Path.GetFullPath(relinked);
        }

        throw DruidException.ErrorMap(400, $"Local input path [{full}] goes through more than {MaxLinks} symbolic links.");
    }
}
