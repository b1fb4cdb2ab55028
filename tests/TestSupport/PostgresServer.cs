using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace UFBrowsers.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server: a fresh cluster in a temp directory, listening on a free
/// loopback port, with one database created for the fixture. Never reuses a server that is
/// already running and never skips: missing binaries are an error that says what to install.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string PostgresUser = "postgres";
    private const string InstallHint = "install the server with `apt-get install -y postgresql`";

    private readonly string _binDirectory;
    private readonly string _rootDirectory;
    private readonly string _dataDirectory;
    private readonly bool _runAsPostgres;
    private readonly bool _durable;
    private int _port;
    private bool _running;
    private bool _disposed;

    public PostgresServer()
        : this(durable: false)
    {
    }

    /// <param name="durable">
    /// Keeps PostgreSQL's defaults for durability (fsync and full page writes on), as a deployed server runs; the tests'
    /// server turns them off.
    /// </param>
    private PostgresServer(bool durable)
    {
        _durable = durable;
        _binDirectory = FindBinDirectory();
        _runAsPostgres = Environment.IsPrivilegedProcess;
        _rootDirectory = Path.Combine(Path.GetTempPath(), "ufb-pg-" + Guid.NewGuid().ToString("N"));
        _dataDirectory = Path.Combine(_rootDirectory, "data");
        DatabaseName = "ufb_" + Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>The fixture's own database.</summary>
    public string DatabaseName { get; }

    /// <summary>Connection string of <see cref="DatabaseName"/>.</summary>
    public string ConnectionString => ConnectionStringFor(DatabaseName);

    public int Port => _port;

    /// <summary>How long initdb took.</summary>
    public TimeSpan InitDuration { get; private set; }

    /// <summary>How long the first <c>pg_ctl start</c> took, until the server accepted connections.</summary>
    public TimeSpan StartDuration { get; private set; }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = PostgresUser,
        Database = database,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>A server that keeps PostgreSQL's durability defaults (fsync on), for benchmarks that measure what a commit costs.</summary>
    public static PostgresServer Durable() => new(durable: true);

    /// <summary>Connection string of <see cref="DatabaseName"/> over the server's Unix socket, as the product's local server is reached.</summary>
    public string UnixSocketConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = _rootDirectory,
        Port = _port,
        Username = PostgresUser,
        Database = DatabaseName,
        Timeout = 5,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_rootDirectory);
        AppDomain.CurrentDomain.ProcessExit += StopOnProcessExit;
        try
        {
            if (_runAsPostgres)
            {
                await RunAsync("chown", ["-R", $"{PostgresUser}:{PostgresUser}", _rootDirectory]);
            }

            var stopwatch = Stopwatch.StartNew();
            await RunPostgresToolAsync("initdb", ["--no-sync", "--no-instructions", "-A", "trust", "-U", PostgresUser,
                "-E", "UTF8", "--locale=C", "-D", _dataDirectory]);
            InitDuration = stopwatch.Elapsed;

            _port = FreeLoopbackPort();
            stopwatch.Restart();
            await StartAsync();
            StartDuration = stopwatch.Elapsed;

            await CreateDatabaseAsync(DatabaseName);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database on this server and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "ufb_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port and data.</summary>
    public async Task StartAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // fsync=off only risks data when the machine itself crashes; commits stay synchronous so that an
        // immediate stop (the outage tests' crash) keeps every committed transaction, as a real server does.
        var options = $"-p {_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{_rootDirectory}' " +
                      (_durable ? "" : "-c fsync=off -c full_page_writes=off ") + "-c max_connections=200";
        await RunPostgresToolAsync("pg_ctl", ["-w", "-t", "60", "-D", _dataDirectory,
            "-l", Path.Combine(_rootDirectory, "server.log"), "-o", options, "start"]);
        _running = true;
    }

    /// <summary>Kills the server (immediate shutdown, like a crash) to simulate an outage.</summary>
    public async Task StopAsync()
    {
        if (!_running)
        {
            return;
        }

        _running = false;
        NpgsqlConnection.ClearAllPools();
        await RunPostgresToolAsync("pg_ctl", ["-w", "-D", _dataDirectory, "-m", "immediate", "stop"]);
    }

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            _disposed = true;
            AppDomain.CurrentDomain.ProcessExit -= StopOnProcessExit;
            if (Directory.Exists(_rootDirectory))
            {
                Directory.Delete(_rootDirectory, recursive: true);
            }
        }
    }

    private void StopOnProcessExit(object? sender, EventArgs e)
    {
        if (_running)
        {
            // Last resort when the test host is torn down without disposing fixtures.
            RunPostgresToolAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "stop"]).GetAwaiter().GetResult();
        }
    }

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return _runAsPostgres
            ? RunAsync("runuser", ["-u", PostgresUser, "--", executable, .. arguments])
            : RunAsync(executable, arguments);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // pg_ctl and initdb refuse to run from a directory the postgres user cannot read.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static string FindBinDirectory()
    {
        const string versionsRoot = "/usr/lib/postgresql";
        if (Directory.Exists(versionsRoot))
        {
            var newest = Directory.GetDirectories(versionsRoot)
                .Select(dir => (Dir: dir, Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(candidate => candidate.Version >= 0 && File.Exists(Path.Combine(candidate.Dir, "bin", "pg_ctl")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => Path.Combine(candidate.Dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        return onPath ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries (initdb, pg_ctl) were not found under {versionsRoot}/*/bin or on PATH; {InstallHint}.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
