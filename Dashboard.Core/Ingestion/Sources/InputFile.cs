namespace Dashboard.Core.Ingestion.Sources;

/// <summary>An input file ready to read: its local path and the name parse errors quote (the original path or URI).</summary>
public sealed record InputFile(string Path, string DisplayName);
