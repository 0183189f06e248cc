namespace Dashboard.Core.Ingestion.Engine;

/// <summary>The bytes an input file holds once decompressed: what Druid reports as processedBytes.</summary>
public static class InputSize
{
    public static long UncompressedBytes(string path)
    {
        var info = new FileInfo(path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || info.Length < 18)
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
}
