using System.Diagnostics;

namespace JobServer.Bench;

/// <summary>A JobServer process (the built JobServer.dll beside the benchmark) serving HTTP on one port.</summary>
internal sealed class WebServerProcess : IDisposable
{
    private readonly Process _process;

    private WebServerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static WebServerProcess Start(string connectionString, int port, string name = "bench-web", IDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "JobServer.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__JobServer"] = connectionString;
        start.Environment["JobServer__ServerName"] = name;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[server] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WebServerProcess(process);
    }

    public async Task WaitUntilHealthyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("JobServer did not become healthy within 60 s.");
    }

    /// <summary>Resident memory (MB) and CPU time used so far (s), from /proc.</summary>
    public (double RssMb, double CpuSeconds) Usage()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        var rssKb = double.Parse(status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = double.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return (rssKb / 1024, ticks / 100);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
