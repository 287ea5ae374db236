namespace JobServer.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, checking often: never a fixed sleep standing in for an effect.</summary>
public static class Eventually
{
    public static Task<T> UntilAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null) =>
        UntilAsync(() => Task.FromResult(probe()), done, timeout, what);

    /// <summary>The same for an asynchronous probe, such as an HTTP call.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "condition"}; last value: {value}");
            }

            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        UntilAsync(condition, ok => ok, timeout, what);
}
