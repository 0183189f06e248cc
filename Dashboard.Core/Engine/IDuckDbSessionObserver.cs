using DuckDB.NET.Data;

namespace Dashboard.Core.Engine;

/// <summary>Sees every session right after it is sealed, before the caller's first statement (diagnostics and tests).</summary>
public interface IDuckDbSessionObserver
{
    Task SealedAsync(DuckDbSessionScope scope, DuckDBConnection session, CancellationToken cancellationToken);
}
