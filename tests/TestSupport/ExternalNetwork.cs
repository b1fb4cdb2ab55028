using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.TestSupport;

/// <summary>
/// Stands in for the internet and for private networks, which a test machine has neither of: a network namespace of its
/// own (another network stack, as another machine would be), joined to this machine by a veth pair, with one address in a
/// public range (TEST-NET-2, 198.51.100.0/24, which no pod policy blocks) and one in each range a pod may not reach
/// (10/8, 172.16/12, 192.168/16, 169.254/16). A web app of the test answers on port 80 of every one of them (socat in the
/// namespace forwards to the app's Unix socket).
/// </summary>
/// <remarks>
/// Each instance takes a free /30 of each range (the same index in all of them); the addresses of this machine's end of
/// the veth are this machine's, those of the namespace's end are "remote". Root only, as the pods' sandbox is.
/// </remarks>
public sealed class ExternalNetwork : IAsyncDisposable
{
    private const string DirectoryPrefix = "ufb-test-net-";

    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly Process _namespace;

    private ExternalNetwork(WebApplication app, string directory, Process @namespace, int index)
    {
        _app = app;
        _directory = directory;
        _namespace = @namespace;
        PublicAddress = Remote("198.51.100", index);
        PrivateAddresses = new Dictionary<string, string>
        {
            ["10.0.0.0/8"] = Remote("10.213.0", index),
            ["172.16.0.0/12"] = Remote("172.31.213", index),
            ["192.168.0.0/16"] = Remote("192.168.213", index),
            ["169.254.0.0/16"] = Remote("169.254.213", index),
        };
    }

    /// <summary>An address outside every blocked range, on another network stack: what "the internet" is in these tests.</summary>
    public string PublicAddress { get; }

    /// <summary>Block (as configured by default) → an address of that range, on the other stack.</summary>
    public IReadOnlyDictionary<string, string> PrivateAddresses { get; }

    public string PublicUrl => $"http://{PublicAddress}";

    /// <summary>The process that holds the network namespace (socat); the namespace lives as long as it does.</summary>
    public int NamespacePid => _namespace.Id;

    public static async Task<ExternalNetwork> StartAsync(Action<WebApplication> map)
    {
        RemoveLeftovers();
        var directory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(directory);
        var socket = Path.Combine(directory, "site.sock");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        var app = builder.Build();
        app.UseWebSockets();
        map(app);
        await app.StartAsync();

        var @namespace = Process.Start(new ProcessStartInfo("unshare", ["--net", "--", "socat", "TCP-LISTEN:80,fork,reuseaddr", $"UNIX-CONNECT:{socket}"])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            var index = await ConnectAsync(@namespace.Id, directory);
            return new ExternalNetwork(app, directory, @namespace, index);
        }
        catch
        {
            @namespace.Kill();
            await app.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The namespace, and with it both ends of the veth pair and their routes, ends with its only process.
        _namespace.Kill(entireProcessTree: true);
        await _namespace.WaitForExitAsync();
        _namespace.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<int> ConnectAsync(int namespacePid, string directory)
    {
        // unshare has started, but may not have made its namespace yet.
        var own = Procs.Namespace(Environment.ProcessId, "net");
        for (var wait = 0; Procs.Namespace(namespacePid, "net") is var theirs && (theirs is null || theirs == own); wait++)
        {
            if (wait == 500)
            {
                throw new InvalidOperationException("unshare --net did not make a network namespace.");
            }

            await Task.Delay(10);
        }

        var name = Path.GetFileName(directory)[^8..];
        var host = "ufbh" + name;
        await Ip($"link add {host} type veth peer name ufbp{name} netns {namespacePid}");
        await Ip($"link set {host} up");
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var index = Random.Shared.Next(1, 63);
            if (await Ip($"addr add {Local("198.51.100", index)}/30 dev {host}", check: false) != 0)
            {
                continue; // taken by a concurrent run
            }

            foreach (var prefix in new[] { "10.213.0", "172.31.213", "192.168.213", "169.254.213" })
            {
                await Ip($"addr add {Local(prefix, index)}/30 dev {host}");
            }

            foreach (var prefix in new[] { "198.51.100", "10.213.0", "172.31.213", "192.168.213", "169.254.213" })
            {
                await Nsenter(namespacePid, $"ip addr add {Remote(prefix, index)}/30 dev ufbp{name}");
            }

            await Nsenter(namespacePid, $"ip link set ufbp{name} up");
            await Nsenter(namespacePid, "ip link set lo up");
            return index;
        }

        throw new InvalidOperationException("No free /30 in 198.51.100.0/24 for the test network.");
    }

    private static string Local(string prefix, int index) => $"{prefix}.{(index * 4) + 1}";

    private static string Remote(string prefix, int index) => $"{prefix}.{(index * 4) + 2}";

    private static Task<int> Ip(string arguments, bool check = true) => Run("ip", arguments.Split(' '), check);

    private static Task<int> Nsenter(int pid, string command) =>
        Run("nsenter", [$"--net=/proc/{pid}/ns/net", "--", .. command.Split(' ')], check: true);

    private static async Task<int> Run(string fileName, string[] arguments, bool check)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed: {error}");
        }

        return process.ExitCode;
    }

    /// <summary>A test run that crashed leaves its namespace's socat running (and its veth and routes): end those whose run is gone.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var owner = Path.GetFileName(directory)[DirectoryPrefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid) || Procs.Read(ownerPid) is not null)
            {
                continue;
            }

            foreach (var pid in Procs.Naming(directory))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                }
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Whether a TCP connection from this machine reaches port 80 of the address (a check of the fixture itself).</summary>
    public static async Task<bool> ReachableFromHostAsync(string address)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Parse(address), 80).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }
}
