using System.Diagnostics;
using System.Globalization;

namespace JobServer.Api;

/// <summary>Adds <c>Server-Timing: app;dur=…</c> (milliseconds) to every response, so a client sees the server's share of its latency.</summary>
internal static class ServerTimingMiddleware
{
    public static IApplicationBuilder UseServerTiming(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            context.Response.OnStarting(() =>
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                context.Response.Headers["Server-Timing"] = "app;dur=" + elapsed.ToString("0.0", CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            await next(context);
        });
}
