using System.Globalization;

namespace JobServer.Storage.MySql.Tests.Child;

/// <summary>The child's command line, written by the test and read by <c>Program</c>: one place for both sides.</summary>
public sealed record ChildArguments(int Workers, TimeSpan InvisibilityTimeout, TimeSpan KeepAliveInterval, TimeSpan HeartbeatInterval, string[] Queues)
{
    public const string ConnectionStringVariable = "JOBSERVER_CHILD_DB";
    public const string ReadyLine = "ready";

    public IEnumerable<string> ToArgs() =>
    [
        "--workers", Workers.ToString(CultureInfo.InvariantCulture),
        "--invisibility-ms", Ms(InvisibilityTimeout),
        "--keep-alive-ms", Ms(KeepAliveInterval),
        "--heartbeat-ms", Ms(HeartbeatInterval),
        "--queues", string.Join(',', Queues),
    ];

    public static ChildArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2) values[args[i]] = args[i + 1];
        string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"Missing {name}.");
        TimeSpan Duration(string name) => TimeSpan.FromMilliseconds(int.Parse(Get(name), CultureInfo.InvariantCulture));
        return new ChildArguments(
            int.Parse(Get("--workers"), CultureInfo.InvariantCulture),
            Duration("--invisibility-ms"),
            Duration("--keep-alive-ms"),
            Duration("--heartbeat-ms"),
            Get("--queues").Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Ms(TimeSpan value) => ((int)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
