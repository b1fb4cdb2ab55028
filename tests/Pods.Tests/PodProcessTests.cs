using System.Diagnostics;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.Pods.Tests;

/// <summary>A pod's start asks DevTools only after Chromium has said on stderr that it listens.</summary>
public sealed class PodProcessTests : IDisposable
{
    private readonly ProcessSpawner _spawner = new();

    [Fact]
    public async Task DevTools_counts_as_listening_once_the_process_says_so_on_stderr_and_not_before()
    {
        using var process = await StartAsync(
            "echo 'Fontconfig error: no cache' >&2; read -r go; echo 'DevTools listening on ws://127.0.0.1:9222/devtools/browser/x' >&2; sleep 30");

        await Task.Delay(300);
        Assert.False(process.DevToolsListening.IsCompleted);

        await process.Process.StandardInput.WriteLineAsync("go");
        await process.Process.StandardInput.FlushAsync();
        await process.DevToolsListening.WaitAsync(TimeSpan.FromSeconds(10));
        process.Process.Kill();
    }

    [Fact]
    public async Task A_process_that_exits_without_saying_so_never_counts_as_listening()
    {
        using var process = await StartAsync("echo 'Listening on ws://127.0.0.1:9222 DevTools listening on' >&2; exit 3");

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.False(process.DevToolsListening.IsCompleted);
    }

    public void Dispose() => _spawner.Dispose();

    private Task<PodProcess> StartAsync(string script)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        return PodProcess.StartAsync(_spawner, PodProcessRoles.Browser, start);
    }
}
