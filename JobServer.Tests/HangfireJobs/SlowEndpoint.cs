using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobServer.Tests.HangfireJobs;

/// <summary>
/// A real HTTP server (Kestrel) on a free local port, standing in for the slow APIs a job aggregates. <c>/slow</c>
/// answers JSON after a delay and counts the requests in flight, so a test can see concurrency instead of timing it.
/// </summary>
public sealed class SlowEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;

    private SlowEndpoint(WebApplication app)
    {
        _app = app;
    }

    /// <summary>"http://127.0.0.1:{port}", the port Kestrel chose.</summary>
    public string BaseUrl { get; private set; } = "";

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most <c>/slow</c> requests that were being served at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary><c>/slow</c> requests received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<SlowEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // Port 0: the OS picks a free port, so parallel test classes never collide.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var endpoint = new SlowEndpoint(builder.Build());
        endpoint.MapRoutes();
        await endpoint._app.StartAsync();
        var addresses = endpoint._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        endpoint.BaseUrl = addresses.Addresses.Single();
        return endpoint;
    }

    /// <summary>Answers <c>{"index": index}</c> as JSON after <paramref name="delayMs"/>.</summary>
    public string Slow(int index, int delayMs) => $"{BaseUrl}/slow?index={index}&delayMs={delayMs}";

    /// <summary>Answers <paramref name="length"/> characters of plain text.</summary>
    public string Text(int length) => $"{BaseUrl}/text?length={length}";

    /// <summary>Answers with <paramref name="status"/> and a JSON body.</summary>
    public string Status(int status) => $"{BaseUrl}/status/{status}";

    private void MapRoutes()
    {
        _app.MapGet("/slow", async (int index, int delayMs, HttpContext http) =>
        {
            Interlocked.Increment(ref _requests);
            var now = Interlocked.Increment(ref _inFlight);
            RaiseMax(now);
            try
            {
                // The simulated slow API; ends early when the caller hangs up (its timeout, or the job's cancellation).
                await Task.Delay(delayMs, http.RequestAborted);
                return Results.Json(new { index });
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
        _app.MapGet("/text", (int length) => Results.Text(new string('x', length), "text/plain"));
        _app.MapGet("/status/{status:int}", (int status) => Results.Json(new { status }, statusCode: status));
    }

    private void RaiseMax(int candidate)
    {
        var seen = Volatile.Read(ref _maxInFlight);
        while (candidate > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxInFlight, candidate, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
