using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Infrastructure;

/// <summary>
/// A real JobServer process (the built JobServer.dll) on the test database, so a test can kill it with SIGKILL —
/// no finally block, no shutdown hook, exactly what a crashed machine leaves behind. It serves HTTP on a port of
/// its choosing on loopback; <see cref="CreateReadyClientAsync"/> finds it.
/// </summary>
public sealed class ChildServer : IDisposable
{
    private const string ListeningLine = "Now listening on: ";
    private const int KeptOutputLines = 50;

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();

    private ChildServer(Process process, string name, bool processesJobs)
    {
        _process = process;
        Name = name;
        ProcessesJobs = processesJobs;
    }

    /// <summary>The configured server name; the server's id is this plus a random suffix.</summary>
    public string Name { get; }

    /// <summary>False for a server that only answers HTTP (<c>JobServer:ProcessJobs=false</c>).</summary>
    public bool ProcessesJobs { get; }

    /// <summary>The id the engine registered, once <see cref="CreateReadyClientAsync"/> saw it; null without an engine.</summary>
    public string? ServerId { get; private set; }

    /// <summary>A server that answers the API but runs no jobs: it watches the others without changing anything.</summary>
    public static ChildServer StartApiOnly(string connectionString, string serverName) =>
        Start(connectionString, serverName, new Dictionary<string, string> { ["JobServer__ProcessJobs"] = "false" });

    /// <param name="settings">Extra configuration as environment variables, e.g. ["JobServer__ProcessJobs"] = "false".</param>
    public static ChildServer Start(string connectionString, string serverName, IDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "JobServer.dll"), "--urls", "http://127.0.0.1:0"])
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
        var child = new ChildServer(process, serverName, settings?.TryGetValue("JobServer__ProcessJobs", out var processJobs) != true || processJobs != "false");
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

    /// <summary>
    /// A client for this server once it is ready: <c>/health</c> answers 200 and — unless it only serves the API —
    /// the engine has registered its server row (then <see cref="ServerId"/> is known).
    /// </summary>
    public async Task<HttpClient> CreateReadyClientAsync(HttpMessageHandler? handler = null)
    {
        var address = await _address.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = address };
        var serverId = await Eventually.UntilAsync<string?>(() => ReadyServerIdAsync(http), id => id is not null, TimeSpan.FromSeconds(60), $"{Name} to be ready");
        ServerId = serverId == "" ? null : serverId;
        return http;
    }

    /// <summary>Waits until the server is ready, as <see cref="CreateReadyClientAsync"/> does, for a test that sends it nothing.</summary>
    public async Task WaitUntilReadyAsync()
    {
        using var http = await CreateReadyClientAsync();
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

    /// <summary>Null while not ready; "" when ready without an engine; else this server's id.</summary>
    private async Task<string?> ReadyServerIdAsync(HttpClient http)
    {
        try
        {
            using var health = await http.GetAsync("/health");
            if (health.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            if (!ProcessesJobs)
            {
                return "";
            }

            var servers = await http.GetFromJsonAsync<JsonElement>("/api/servers");
            return servers.EnumerateArray().Select(s => s.GetProperty("id").GetString()).FirstOrDefault(id => id?.StartsWith(Name + ":", StringComparison.Ordinal) == true);
        }
        catch (HttpRequestException)
        {
            return null;
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

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }
}
