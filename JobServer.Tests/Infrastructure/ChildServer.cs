using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using JobServer.Storage.MySql;
using MySqlConnector;

namespace JobServer.Tests.Infrastructure;

/// <summary>
/// A real JobServer process (the built JobServer.dll) on the test database, so a test can kill it with SIGKILL —
/// no finally block, no shutdown hook, exactly what a crashed machine leaves behind. It serves HTTP on a port of
/// its choosing on loopback; <see cref="CreateReadyClientAsync"/> finds it. Readiness is read where Hangfire itself
/// records it: the server rows the child's Hangfire servers registered in the storage (names start with the configured
/// server name, lowercased by Hangfire), through the storage's monitoring API.
/// </summary>
public sealed class ChildServer : IDisposable
{
    private const string ListeningLine = "Now listening on: ";
    private const int KeptOutputLines = 500;

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();

    private readonly string _connectionString;
    private Action<string>? _onLine;

    private ChildServer(Process process, string connectionString, string name, bool processesJobs)
    {
        _process = process;
        _connectionString = connectionString;
        Name = name;
        ProcessesJobs = processesJobs;
    }

    /// <summary>The configured server name; the server's id is this plus a random suffix.</summary>
    public string Name { get; }

    /// <summary>False for a server that only answers HTTP (<c>JobServer:ProcessJobs=false</c>).</summary>
    public bool ProcessesJobs { get; }

    /// <summary>The ids of this process's Hangfire servers (one per pool), once <see cref="WaitUntilReadyAsync"/> saw
    /// them; empty without servers.</summary>
    public IReadOnlyList<string> ServerIds { get; private set; } = [];

    /// <summary>The first of <see cref="ServerIds"/>; null without servers.</summary>
    public string? ServerId => ServerIds.Count > 0 ? ServerIds[0] : null;

    /// <summary>Whether a Hangfire server id (e.g. a Processing state's <c>ServerId</c>) is one of this process's:
    /// Hangfire names a server "{lowercased server name}:{pool, when several}:{process id}:{guid}".</summary>
    public bool Owns(string? serverId) => serverId?.StartsWith(Name.ToLowerInvariant() + ":", StringComparison.Ordinal) == true;

    /// <summary>A server that answers the API but runs no jobs: it watches the others without changing anything.</summary>
    public static ChildServer StartApiOnly(string connectionString, string serverName) =>
        Start(connectionString, serverName, new Dictionary<string, string> { ["JobServer__ProcessJobs"] = "false" });

    /// <param name="settings">Extra configuration as environment variables, e.g. ["JobServer__ProcessJobs"] = "false".</param>
    /// <param name="host">Another host program next to the tests (e.g. the soak's JobServer.Tests.SoakChild.dll), run
    /// with the test assembly's runtime configuration; null: JobServer.dll itself.</param>
    /// <param name="onLine">Sees every line the process writes (the kept <see cref="RecentOutput"/> is only the last ones).</param>
    public static ChildServer Start(string connectionString, string serverName, IDictionary<string, string>? settings = null, string? host = null, Action<string>? onLine = null)
    {
        var tests = typeof(ChildServer).Assembly.Location;
        string[] arguments = host is null
            ? [Path.Combine(AppContext.BaseDirectory, "JobServer.dll"), "--urls", "http://127.0.0.1:0"]
            : ["exec", "--runtimeconfig", Path.ChangeExtension(tests, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(tests, ".deps.json"),
               Path.Combine(AppContext.BaseDirectory, host), "--urls", "http://127.0.0.1:0"];
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__JobServer"] = connectionString;
        start.Environment["JobServer__ServerName"] = serverName;
        start.Environment["JobServer__HeartbeatInterval"] = "00:00:00.200";
        start.Environment["JobServer__ServerTimeout"] = "00:00:02";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The host logs the address it bound (port 0 = any free one) at Information.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start JobServer.dll");
        var child = new ChildServer(process, connectionString, serverName, settings?.TryGetValue("JobServer__ProcessJobs", out var processJobs) != true || processJobs != "false")
        {
            _onLine = onLine,
        };
        // Always drain the pipes, so the child never blocks on a full buffer.
        process.OutputDataReceived += (_, e) => child.Observe(e.Data);
        process.ErrorDataReceived += (_, e) => child.Observe(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote (warnings and errors), for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>A client for this server once it is ready (see <see cref="WaitUntilReadyAsync"/>).</summary>
    public async Task<HttpClient> CreateReadyClientAsync(HttpMessageHandler? handler = null)
    {
        await WaitUntilReadyAsync();
        return new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = await _address.Task };
    }

    /// <summary>
    /// Waits until the process listens for HTTP and — unless it only serves the API — its Hangfire servers have
    /// registered in the storage (then <see cref="ServerIds"/> is known). An API-only process is ready when
    /// <c>/health</c> answers 200. Fails at once, with the child's last output, if the process exits first.
    /// </summary>
    public async Task WaitUntilReadyAsync()
    {
        var timeout = TimeSpan.FromSeconds(60);
        if (await Task.WhenAny(_address.Task, _process.WaitForExitAsync(), Task.Delay(timeout)) != _address.Task)
        {
            throw new InvalidOperationException(HasExited ? $"{Name} exited ({_process.ExitCode}) before it listened:\n{RecentOutput}" : $"{Name} did not listen within {timeout}.");
        }

        if (ProcessesJobs)
        {
            var storage = new MySqlStorage(_connectionString, new MySqlStorageOptions { PrepareSchemaIfNecessary = false });
            ServerIds = await Eventually.UntilAsync(() => Task.FromResult(RegisteredServers(storage)), ids => ids.Count > 0 || HasExited, timeout, $"{Name}'s Hangfire servers");
        }
        else
        {
            using var http = new HttpClient { BaseAddress = await _address.Task };
            await Eventually.UntilAsync(() => HealthyAsync(http), ok => ok || HasExited, timeout, $"{Name} to answer /health");
        }

        if (HasExited)
        {
            throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before it was ready:\n{RecentOutput}");
        }
    }

    /// <summary>SIGKILL: the process gets no chance to release anything.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    /// <summary>This process's server rows; empty while there are none (or the schema is not installed yet).</summary>
    private List<string> RegisteredServers(MySqlStorage storage)
    {
        try
        {
            // This process's own: a killed predecessor of the same name leaves its row behind until the server timeout.
            var pid = $":{_process.Id}:";
            return storage.GetMonitoringApi().Servers().Select(s => s.Name).Where(s => Owns(s) && s.Contains(pid, StringComparison.Ordinal)).ToList();
        }
        catch (MySqlException)
        {
            return [];
        }
    }

    private static async Task<bool> HealthyAsync(HttpClient http)
    {
        try
        {
            using var health = await http.GetAsync("/health");
            return health.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        var at = line.IndexOf(ListeningLine, StringComparison.Ordinal);
        if (at >= 0)
        {
            _address.TrySetResult(new Uri(line[(at + ListeningLine.Length)..].Trim()));
        }

        _onLine?.Invoke(line);
        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }
}
