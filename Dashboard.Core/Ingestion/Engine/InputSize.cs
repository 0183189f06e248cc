using System.IO.Compression;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>The bytes an input file holds once decompressed: what Druid reports as processedBytes.</summary>
public static class InputSize
{
    /// <summary>Whether the file is gzip: by its content (the 1f 8b magic), not its name, so a.json holding gzip and a.json.gz holding text both read.</summary>
    public static bool IsGzip(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> magic = stackalloc byte[2];
        return file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>DuckDB's <c>compression</c> argument for reading these files as they are: by content, where DuckDB would go by name.</summary>
    public static string CompressionOf(IReadOnlyList<string> paths, bool json = false)
    {
        // read_json and read_csv spell "none" and "by name" differently.
        var gzip = paths.Count(IsGzip);
        return gzip == paths.Count ? "gzip" : gzip == 0 ? json ? "uncompressed" : "none" : json ? "auto_detect" : "auto";
    }

    public static long UncompressedBytes(string path)
    {
        var info = new FileInfo(path);
        if (!IsGzip(path) || info.Length < 18)
        {
            return info.Length;
        }

        // A gzip member ends with ISIZE, the uncompressed length modulo 2^32: exact for members under 4 GiB.
        using var stream = info.OpenRead();
        stream.Seek(-4, SeekOrigin.End);
        Span<byte> size = stackalloc byte[4];
        stream.ReadExactly(size);
        return BitConverter.ToUInt32(size);
    }

    /// <summary>How many bytes of decompressed input <see cref="EstimateRows"/> reads, at most.</summary>
    public const int RowSampleBytes = 1 << 20;

    /// <summary>
    /// The number of lines (rows of newline-delimited JSON or CSV) the files hold: counted exactly when they fit in
    /// <see cref="RowSampleBytes"/>, otherwise the sample's rows per byte times the decompressed size. Null when
    /// nothing could be read, or when a file is damaged (the ingestion itself then fails with a message naming it).
    /// It drives the progress and ETA the dashboard shows, never a counter.
    /// </summary>
    public static long? EstimateRows(IReadOnlyList<string> paths)
    {
        try
        {
            return CountRows(paths);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static long? CountRows(IReadOnlyList<string> paths)
    {
        long sampledBytes = 0, sampledLines = 0, totalBytes = 0;
        var exact = true;
        var buffer = new byte[64 * 1024];
        foreach (var path in paths)
        {
            totalBytes += UncompressedBytes(path);
            if (sampledBytes >= RowSampleBytes)
            {
                exact = false;
                continue;
            }

            using var file = File.OpenRead(path);
            using Stream stream = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
            var last = (byte)'\n';
            int read;
            while (sampledBytes < RowSampleBytes && (read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                sampledLines += buffer.AsSpan(0, read).Count((byte)'\n');
                sampledBytes += read;
                last = buffer[read - 1];
            }

            if (stream.Read(buffer, 0, 1) > 0)
            {
                exact = false;
            }
            else if (last != (byte)'\n')
            {
                sampledLines++;
            }
        }

        if (sampledBytes == 0)
        {
            return null;
        }

        return exact ? sampledLines : (long)Math.Round((double)sampledLines / sampledBytes * totalBytes);
    }
}
