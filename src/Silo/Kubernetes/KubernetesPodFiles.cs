using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Files;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// Files of Kubernetes browser pods through the browser image's file endpoint (<c>deploy/docker/browser/files.sh</c>) on the
/// pod's IP at <see cref="KubernetesPodOptions.FilesPort"/>: no volume is shared between pods or with the control plane.
/// Names travel as hex of their UTF-8 bytes, so no name is ever quoted or escaped on the way.
/// </summary>
public sealed class KubernetesPodFiles(IOptions<KubernetesPodOptions> options) : IPodFiles, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public async Task<IReadOnlyList<PodFile>> ListDownloadsAsync(PodLease pod, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(Endpoint(pod, "/downloads"), cancellationToken);
        response.EnsureSuccessStatusCode();
        var files = new List<PodFile>();
        foreach (var line in (await response.Content.ReadAsStringAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length == 3
                && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var modified)
                && TryDecode(fields[2], out var name)
                && FileNames.IsPlain(name) && !FileNames.IsPartialDownload(name))
            {
                files.Add(new PodFile(name, size, DateTimeOffset.FromUnixTimeSeconds(modified)));
            }
        }

        return files.OrderBy(f => f.CompletedAt).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<FileContent?> OpenDownloadAsync(PodLease pod, string name, CancellationToken cancellationToken)
    {
        if (!FileNames.IsPlain(name))
        {
            return null;
        }

        var response = await _http.GetAsync(Endpoint(pod, "/downloads/" + Encode(name)), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        try
        {
            response.EnsureSuccessStatusCode();
            var length = response.Content.Headers.ContentLength ?? throw new InvalidDataException("The pod's file endpoint sent no Content-Length.");
            return new FileContent(new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken)), length);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<string> PutUploadAsync(PodLease pod, string name, Stream content, long length, long maxTotalBytes, CancellationToken cancellationToken)
    {
        if (!FileNames.IsPlain(name))
        {
            throw new ArgumentException("Not a plain file name.", nameof(name));
        }

        using var request = new HttpRequestMessage(HttpMethod.Put, Endpoint(pod, "/uploads/" + Encode(name)))
        {
            Content = new StreamContent(content) { Headers = { ContentLength = length } },
        };
        request.Headers.Add("Upload-Limit", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Uploads-Total-Limit", maxTotalBytes.ToString(CultureInfo.InvariantCulture));
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.InsufficientStorage)
        {
            throw new UploadSpaceExhaustedException(maxTotalBytes);
        }

        response.EnsureSuccessStatusCode();
        var path = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var expectedPrefix = options.Value.UploadsDirectory.TrimEnd('/') + "/";
        return path.StartsWith(expectedPrefix, StringComparison.Ordinal) && path.EndsWith("/" + name, StringComparison.Ordinal)
            ? path
            : throw new InvalidDataException("The pod's file endpoint answered a path outside its uploads directory.");
    }

    public void Dispose() => _http.Dispose();

    private Uri Endpoint(PodLease pod, string path) =>
        new UriBuilder(pod.CdpHttpUrl) { Port = options.Value.FilesPort, Path = path, Query = "" }.Uri;

    private static string Encode(string name) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(name));

    private static bool TryDecode(string hex, out string name)
    {
        name = "";
        if (hex.Length == 0 || hex.Length % 2 != 0)
        {
            return false;
        }

        try
        {
            name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromHexString(hex));
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The response's body that disposes the response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
