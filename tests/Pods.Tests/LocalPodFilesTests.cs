using System.Diagnostics;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Files;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.Pods.Tests;

/// <summary>
/// Files of a real sandboxed pod read and written by the control plane (root) in the pod's directory, which the sandbox's
/// user owns in part: what that user could plant there (links to root's files, pipes, partials, folders) is never read.
/// </summary>
public sealed class LocalPodFilesTests : IAsyncLifetime
{
    private readonly PodSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Only_regular_files_the_browser_finished_are_listed_and_read_never_links_pipes_folders_or_partials()
    {
        var provider = await _sandbox.StartedProvider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        var downloads = Path.Combine(_sandbox.PodDirectory(lease), "downloads");
        var rootOnly = Path.Combine(_sandbox.PodsDirectory, "root-only.txt");
        await File.WriteAllTextAsync(rootOnly, "the control plane's secret");
        File.SetUnixFileMode(rootOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(Path.Combine(downloads, "report.csv"), "a,b\n1,2\n");
        File.CreateSymbolicLink(Path.Combine(downloads, "innocent.txt"), rootOnly);
        File.CreateSymbolicLink(Path.Combine(downloads, "etc.txt"), "/etc/shadow");
        await File.WriteAllTextAsync(Path.Combine(downloads, "movie.mp4.crdownload"), "partial");
        Directory.CreateDirectory(Path.Combine(downloads, "folder"));
        Run("mkfifo", Path.Combine(downloads, "pipe"));
        var files = Files();

        var listed = await files.ListDownloadsAsync(lease, CancellationToken.None);

        Assert.Equal(["report.csv"], listed.Select(f => f.Name));
        Assert.Equal(8, listed[0].SizeBytes);
        await using (var report = await files.OpenDownloadAsync(lease, "report.csv", CancellationToken.None))
        {
            Assert.Equal("a,b\n1,2\n", await new StreamReader(report!.Content).ReadToEndAsync());
        }

        foreach (var name in new[] { "innocent.txt", "etc.txt", "movie.mp4.crdownload", "folder", "pipe", "../pod.json", "..", "missing" })
        {
            await using var content = await files.OpenDownloadAsync(lease, name, CancellationToken.None);
            Assert.True(content is null, $"{name} must not be read");
        }
    }

    [Fact]
    public async Task An_upload_goes_into_a_folder_of_its_own_readable_by_the_sandbox_and_not_writable_by_it()
    {
        var provider = await _sandbox.StartedProvider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        var files = Files();

        var first = await files.PutUploadAsync(lease, "photo.jpg", new MemoryStream([1, 2, 3]), 3, 100, CancellationToken.None);
        var second = await files.PutUploadAsync(lease, "photo.jpg", new MemoryStream([4, 5]), 2, 100, CancellationToken.None);

        Assert.Matches("^/uploads/[0-9a-f]{16}/photo\\.jpg$", first);
        Assert.NotEqual(first, second);
        var onHost = Path.Combine(_sandbox.PodDirectory(lease), first.TrimStart('/'));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(onHost));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(onHost));
        Assert.Equal("0:1000", Stat(onHost));
        Assert.Equal("0:1000", Stat(Path.GetDirectoryName(onHost)!));
        Assert.Equal("0:1000", Stat(Path.Combine(_sandbox.PodDirectory(lease), "uploads")));
        Assert.False(File.GetUnixFileMode(Path.Combine(_sandbox.PodDirectory(lease), "uploads")).HasFlag(UnixFileMode.GroupWrite));

        await Assert.ThrowsAsync<UploadSpaceExhaustedException>(() =>
            files.PutUploadAsync(lease, "more.bin", new MemoryStream(new byte[96]), 96, 100, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            files.PutUploadAsync(lease, "../escape", new MemoryStream([1]), 1, 100, CancellationToken.None));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_sandbox.PodDirectory(lease), "uploads"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_pod_this_process_does_not_run_has_no_files_and_takes_no_uploads()
    {
        var files = Files();
        var foreign = new PodLease("fake-default-1", "default", "ws://127.0.0.1:9/devtools/browser/x", "http://127.0.0.1:9");

        Assert.Empty(await files.ListDownloadsAsync(foreign, CancellationToken.None));
        Assert.Null(await files.OpenDownloadAsync(foreign, "a.txt", CancellationToken.None));
        await Assert.ThrowsAsync<NotSupportedException>(() => files.PutUploadAsync(foreign, "a.txt", new MemoryStream([1]), 1, 10, CancellationToken.None));
    }

    private LocalChromiumPodFiles Files() => new(Options.Create(new LocalChromiumOptions { PodsDirectory = _sandbox.PodsDirectory }));

    private static string Stat(string path) => Run("stat", "-c", "%u:%g", path).Trim();

    private static string Run(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
