namespace JobServer.Engine;

/// <summary>Who this process is in the cluster. The id adds a random suffix to the name so a restarted process
/// never inherits the claims of its previous life.</summary>
public sealed class ServerIdentity
{
    public ServerIdentity(string name, DateTime startedAt)
    {
        Name = name;
        Id = $"{name}:{Guid.NewGuid().ToString("N")[..8]}";
        StartedAt = startedAt;
    }

    public string Name { get; }

    public string Id { get; }

    public DateTime StartedAt { get; }
}
