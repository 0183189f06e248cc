namespace Dashboard.Model;

/// <summary>Links into the SQL workbench.</summary>
public static class QueryLinks
{
    /// <summary>The workbench with <paramref name="sql"/> in a new editor tab.</summary>
    public static string WithSql(string sql) => "query?sql=" + Uri.EscapeDataString(sql);

    /// <summary>The workbench with the first 100 rows of a datasource to run.</summary>
    public static string SelectFrom(string dataSource) => WithSql($"SELECT * FROM \"{dataSource.Replace("\"", "\"\"")}\" LIMIT 100");
}
