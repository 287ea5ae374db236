namespace JobServer.Tests.Browser;

/// <summary>Names for what browser tests create, unique per call so tests never see each other's jobs.</summary>
internal static class BrowserData
{
    /// <summary>A queue no test server works: its jobs stay where the test put them.</summary>
    public static string IdleQueue() => "idle-" + Guid.NewGuid().ToString("N")[..8];
}
