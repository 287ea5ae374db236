using System.Diagnostics;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>
/// Polls a condition until it holds or a deadline passes: the way tests wait for an effect of a background process,
/// never for a guessed time. On timeout it fails with what was awaited (and, for <see cref="Until{T}"/>, the last value
/// seen, so a failure says how far the system got).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test with <paramref name="what"/> at the deadline.</summary>
    public static void True(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {what}.");
            Thread.Sleep(20);
        }
    }

    /// <summary>Polls <paramref name="read"/> until it returns a value that satisfies <paramref name="accept"/>.</summary>
    public static T Value<T>(Func<T> read, Func<T, bool> accept, string what, TimeSpan? timeout = null)
    {
        var value = read();
        True(() => accept(value = read()), what, timeout);
        return value;
    }

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
