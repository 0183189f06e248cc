using System.IO.Compression;
using System.Text;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Security;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>The first bytes of an input: its raw head (for magic numbers), up to <see cref="SampleInputReader.MaxSampleBytes"/> decompressed, and whether more followed.</summary>
public sealed record InputSample(string Name, byte[] RawHead, byte[] Bytes, bool Truncated, string? LocalPath);

/// <summary>
/// Reads a bounded sample of an input source under the same rules as ingestion (<see cref="InputSourceRules"/>, through
/// <see cref="InputResolver"/> for local paths): the first file only, at most <see cref="MaxSampleBytes"/> bytes once
/// decompressed (gzip is recognised by its magic bytes), never the whole input. An http input is read as a stream that
/// is closed once the sample is full; when the timeout passes, what arrived so far is the sample.
/// </summary>
public sealed class SampleInputReader(InputSourceRules rules, InputResolver resolver, OutboundHttpClient http)
{
    public const int MaxSampleBytes = 1 << 20;

    public async Task<InputSample> ReadAsync(InputSourceSpec source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await rules.CheckAsync(source, cancellationToken);
        switch (source)
        {
            case InlineInputSourceSpec inline:
                var bytes = Encoding.UTF8.GetBytes(inline.Data);
                return new InputSample("inline data", bytes[..Math.Min(4, bytes.Length)], bytes.Length > MaxSampleBytes ? bytes[..MaxSampleBytes] : bytes,
                    bytes.Length > MaxSampleBytes, null);
            case LocalInputSourceSpec local:
                var files = await ResolveLocalAsync(local, cancellationToken);
                var file = files[0];
                await using (var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true))
                {
                    return await ReadStreamAsync(stream, file.DisplayName, file.Path, timeout, cancellationToken);
                }

            case HttpInputSourceSpec remote:
                return await ReadHttpAsync(remote, remote.Uris[0], timeout, cancellationToken);
            default:
                throw DruidException.ErrorMap(400, $"The sampler cannot read a {source.GetType().Name}.");
        }
    }

    private async Task<IReadOnlyList<InputFile>> ResolveLocalAsync(LocalInputSourceSpec local, CancellationToken cancellationToken)
    {
        try
        {
            return await resolver.ResolveAsync(local, workDir: "", cancellationToken);
        }
        catch (IOException ex)
        {
            throw DruidException.ErrorMap(400, ex.Message);
        }
    }

    private async Task<InputSample> ReadHttpAsync(HttpInputSourceSpec source, string uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var shown = SecretMasker.MaskText(uri);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(uri, InputResolver.BasicAuthorization(source), timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw DruidException.ErrorMap(400, $"Http input [{shown}] did not answer within {timeout.TotalMilliseconds:0} ms (samplerConfig.timeoutMs).");
        }
        catch (HttpRequestException ex)
        {
            throw DruidException.ErrorMap(400, $"Cannot read http input [{shown}]: {ex.Message}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw DruidException.ErrorMap(400, $"Http input [{shown}] answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timer.Token);
            return await ReadStreamAsync(stream, shown, null, timeout, cancellationToken, timer);
        }
    }

    private static async Task<InputSample> ReadStreamAsync(Stream raw, string name, string? localPath, TimeSpan timeout, CancellationToken cancellationToken,
        CancellationTokenSource? timer = null)
    {
        using var ownTimer = timer is null ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        ownTimer?.CancelAfter(timeout);
        var token = (timer ?? ownTimer)!.Token;

        var head = new byte[4];
        var headLength = 0;
        try
        {
            while (headLength < head.Length && await raw.ReadAsync(head.AsMemory(headLength), token) is var n and > 0)
            {
                headLength += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw DruidException.ErrorMap(400, $"Input [{name}] sent no data within {timeout.TotalMilliseconds:0} ms (samplerConfig.timeoutMs).");
        }

        head = head[..headLength];
        if (head.AsSpan().StartsWith("PAR1"u8))
        {
            // Parquet is read by DuckDB from the file itself (footer first); only local files can be sampled that way.
            return localPath is not null
                ? new InputSample(name, head, [], false, localPath)
                : throw DruidException.ErrorMap(400, $"Input [{name}] is Parquet; the sampler reads Parquet from local files only.");
        }

        Stream data = new PrefixedStream(head, raw);
        var gzip = head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b;
        if (gzip)
        {
            data = new GZipStream(data, CompressionMode.Decompress);
        }

        var buffer = new byte[MaxSampleBytes];
        var length = 0;
        var truncated = false;
        try
        {
            int read;
            while (length < buffer.Length && (read = await data.ReadAsync(buffer.AsMemory(length), token)) > 0)
            {
                length += read;
            }

            truncated = length == buffer.Length && await data.ReadAsync(new byte[1], token) > 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            truncated = true; // the timeout passed: the sample is what arrived
        }
        catch (InvalidDataException ex) when (length == 0)
        {
            throw DruidException.ErrorMap(400, $"Input [{name}] starts like gzip but cannot be decompressed: {ex.Message}");
        }
        catch (InvalidDataException)
        {
            truncated = true;
        }

        if (length == 0 && truncated)
        {
            throw DruidException.ErrorMap(400, $"Input [{name}] sent no data within {timeout.TotalMilliseconds:0} ms (samplerConfig.timeoutMs).");
        }

        await data.DisposeAsync();
        return new InputSample(name, head, buffer[..length], truncated, localPath);
    }

    /// <summary>The bytes already read for the magic check, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
