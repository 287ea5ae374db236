namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>Waits for a condition by polling it until a deadline: tests wait for effects, never for a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

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
}
