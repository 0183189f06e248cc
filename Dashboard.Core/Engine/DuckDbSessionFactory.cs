using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Storage;
using DuckDB.NET.Data;

namespace Dashboard.Core.Engine;

/// <summary>
/// The one place a DuckDB connection is opened. Every session is sealed before the caller's first statement: no
/// extension is installed or loaded on demand (only those linked into the package, json and parquet, work), no
/// community or unsigned extension, no file or network access except the files and folders of its
/// <see cref="DuckDbSessionScope"/>, the task's memory and thread budget, a spill folder, and the configuration locked
/// so that no later statement can change any of it.
/// </summary>
public sealed class DuckDbSessionFactory(TaskBudget budget, DataDirectory dataDirectory, IEnumerable<IDuckDbSessionObserver> observers)
{
    public DuckDbSessionFactory(TaskBudget budget, DataDirectory dataDirectory)
        : this(budget, dataDirectory, [])
    {
    }

    public TaskBudget Budget => budget;

    /// <summary>The memory limit a session of this scope gets, in MiB.</summary>
    public long MemoryLimitMiB(DuckDbSessionScope scope)
    {
        var ceiling = scope.Kind == DuckDbSessionKind.Task ? budget.MemoryMiB : budget.AuxiliaryMemoryMiB;
        return scope.MemoryLimitMiB is { } lower ? Math.Clamp(lower, 1, ceiling) : ceiling;
    }

    /// <summary>Opens an in-memory session sealed to <paramref name="scope"/>; the caller disposes it.</summary>
    public async Task<DuckDBConnection> OpenAsync(DuckDbSessionScope scope, CancellationToken cancellationToken)
    {
        var temp = scope.TempDirectory ?? dataDirectory.PathFor("tmp");
        Directory.CreateDirectory(temp);
        var db = new DuckDBConnection("DataSource=:memory:");
        try
        {
            await db.OpenAsync(cancellationToken);
            await db.ExecuteAsync(SealSql(scope, Path.GetFullPath(temp)), cancellationToken);
            foreach (var observer in observers)
            {
                await observer.SealedAsync(scope, db, cancellationToken);
            }

            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The statements that seal a session, in the order DuckDB 1.5 accepts them: extension and resource settings first,
    /// then the allow-lists, then <c>enable_external_access=false</c> (after it, the lists can only shrink), and last
    /// <c>lock_configuration=true</c>.
    /// </summary>
    private string SealSql(DuckDbSessionScope scope, string temp)
    {
        var directories = scope.Directories.Select(Folder).Append(Folder(temp)).Distinct(StringComparer.Ordinal);
        var files = scope.Files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal);
        return string.Join(" ",
            "SET autoinstall_known_extensions=false;",
            "SET autoload_known_extensions=false;",
            "SET allow_community_extensions=false;",
            "SET allow_unsigned_extensions=false;",
            "SET TimeZone='UTC';",
            $"SET memory_limit='{MemoryLimitMiB(scope)}MiB';",
            $"SET threads={budget.Threads};",
            $"SET temp_directory={Sql.Literal(temp)};",
            $"SET preserve_insertion_order={(scope.PreserveInsertionOrder ? "true" : "false")};",
            $"SET allowed_directories={List(directories)};",
            $"SET allowed_paths={List(files)};",
            "SET enable_external_access=false;",
            "SET lock_configuration=true;");
    }

    private static string Folder(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + Path.DirectorySeparatorChar;

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Sql.Literal)) + "]";
}
