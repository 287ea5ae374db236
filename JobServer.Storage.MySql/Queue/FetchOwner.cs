namespace JobServer.Storage.MySql.Queue;

/// <summary>The owner name a storage instance writes into the rows it fetches: readable, and unique per instance.</summary>
internal static class FetchOwner
{
    public static string Create()
    {
        var host = Environment.MachineName;
        if (host.Length > 50) host = host[..50];
        return $"{host}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    }
}
