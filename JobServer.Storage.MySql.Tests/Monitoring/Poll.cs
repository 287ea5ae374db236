namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary>Waits for a condition by polling it until a deadline; fails the test when the deadline passes.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out after {timeoutSeconds} s waiting for {what}.");
            await Task.Delay(25);
        }
    }
}
