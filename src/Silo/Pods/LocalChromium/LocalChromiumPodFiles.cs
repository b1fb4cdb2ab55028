using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using UFBrowsers.Grains.Files;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Files of local pods, straight from their directories on this machine (<see cref="PodDirectory"/>): downloads are read from
/// <c>downloads/</c> (which the browser writes as the sandbox's user), uploads written by this process into their own
/// folders under <c>uploads/</c> (root's; read-only in the sandbox, as <c>/uploads</c>).
/// </summary>
/// <remarks>
/// A download is opened with <c>O_NOFOLLOW</c>: the sandbox's user owns <c>downloads/</c> and could put a link there to a file
/// only this process may read; neither a link nor anything but a regular file is ever read. A pod this process does not
/// run (a test's fake pod, another silo's) has no files here.
/// </remarks>
public sealed partial class LocalChromiumPodFiles(IOptions<LocalChromiumOptions> options) : IPodFiles
{
    private const int BufferBytes = 81920;

    private readonly string _root = Path.GetFullPath(options.Value.PodsDirectory);

    public Task<IReadOnlyList<PodFile>> ListDownloadsAsync(PodLease pod, CancellationToken cancellationToken)
    {
        if (DirectoryOf(pod) is not { } directory || !Directory.Exists(directory.Downloads))
        {
            return Task.FromResult<IReadOnlyList<PodFile>>([]);
        }

        var files = new List<PodFile>();
        foreach (var entry in new DirectoryInfo(directory.Downloads).EnumerateFileSystemInfos())
        {
            if (entry is not FileInfo || !FileNames.IsPlain(entry.Name) || FileNames.IsPartialDownload(entry.Name))
            {
                continue;
            }

            // Opened to tell a regular file from a link or a pipe, which look alike from here.
            using var file = OpenRegular(entry.FullName);
            if (file is not null)
            {
                files.Add(new PodFile(entry.Name, file.Length, new DateTimeOffset(File.GetLastWriteTimeUtc(file.SafeFileHandle), TimeSpan.Zero)));
            }
        }

        files.Sort((a, b) => a.CompletedAt != b.CompletedAt ? a.CompletedAt.CompareTo(b.CompletedAt) : string.CompareOrdinal(a.Name, b.Name));
        return Task.FromResult<IReadOnlyList<PodFile>>(files);
    }

    public Task<FileContent?> OpenDownloadAsync(PodLease pod, string name, CancellationToken cancellationToken)
    {
        if (!FileNames.IsPlain(name) || FileNames.IsPartialDownload(name) || DirectoryOf(pod) is not { } directory)
        {
            return Task.FromResult<FileContent?>(null);
        }

        var stream = OpenRegular(Path.Combine(directory.Downloads, name));
        return Task.FromResult(stream is null ? null : new FileContent(stream, stream.Length));
    }

    public async Task<string> PutUploadAsync(PodLease pod, string name, Stream content, long length, long maxTotalBytes, CancellationToken cancellationToken)
    {
        if (!FileNames.IsPlain(name))
        {
            throw new ArgumentException("Not a plain file name.", nameof(name));
        }

        var directory = DirectoryOf(pod) ?? throw new NotSupportedException($"Pod {pod.PodId} is not a pod of this process.");
        var used = Directory.EnumerateFiles(directory.Uploads, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        if (used + length > maxTotalBytes)
        {
            throw new UploadSpaceExhaustedException(maxTotalBytes);
        }

        var folder = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var target = Path.Combine(directory.Uploads, folder);
        var sandboxed = options.Value.Sandbox;
        if (sandboxed)
        {
            PodDirectory.CreateReadableByGroup(target, options.Value.SandboxGid);
        }
        else
        {
            Directory.CreateDirectory(target);
        }

        var file = Path.Combine(target, name);
        await using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true))
        {
            var buffer = new byte[BufferBytes];
            var left = length;
            while (left > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                left -= read;
            }
        }

        if (sandboxed)
        {
            PodDirectory.ChangeOwner(file, 0, options.Value.SandboxGid);
            UnixFiles.SetMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        return sandboxed ? $"{PodDirectory.SandboxUploads}/{folder}/{name}" : file;
    }

    /// <summary>The file at <paramref name="path"/> opened for reading if it is a regular file; null for a link (never followed), a pipe, a folder or nothing.</summary>
    private static FileStream? OpenRegular(string path)
    {
        var fd = Open(path, ReadOnlyNoFollow());
        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        FileStream stream;
        try
        {
            if (File.GetAttributes(handle).HasFlag(FileAttributes.Directory))
            {
                handle.Dispose();
                return null;
            }

            stream = new FileStream(handle, FileAccess.Read, BufferBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A folder, or something else that is not a file.
            handle.Dispose();
            return null;
        }

        if (!stream.CanSeek)
        {
            // A pipe: nothing a download is, and reading it could wait forever.
            stream.Dispose();
            return null;
        }

        return stream;
    }

    private PodDirectory? DirectoryOf(PodLease pod)
    {
        if (!LocalChromiumPodIds.IsPodId(pod.PodId))
        {
            return null;
        }

        var path = Path.Combine(_root, pod.PodId);
        return Directory.Exists(path) ? new PodDirectory(path) : null;
    }

    /// <summary><c>O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC</c>; O_NOFOLLOW's value differs between architectures.</summary>
    private static int ReadOnlyNoFollow()
    {
        const int nonBlock = 0x800, closeOnExec = 0x80000;
        var noFollow = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x20000,
            Architecture.Arm64 or Architecture.Arm => 0x8000,
            var other => throw new PlatformNotSupportedException($"O_NOFOLLOW is not known for {other}."),
        };
        return noFollow | nonBlock | closeOnExec;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
