using System.Diagnostics;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>
/// Polls a condition until it holds or a deadline passes: the way tests wait for an effect of a background process.
/// On timeout it throws with the last value seen, so a failure says how far the system got.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> Until<T>(Func<T> probe, Func<T, bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = probe();
            if (condition(value)) return value;
            if (elapsed.Elapsed > timeout)
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0.#} s: {what}. Last value: {Describe(value)}");
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        Until(condition, ok => ok, timeout, what, interval);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Take(20)) + "]",
        _ => value.ToString() ?? "",
    };
}
