namespace JobServer.Storage;

public interface IServerStore
{
    /// <summary>Registers (or re-registers) a server with a fresh heartbeat.</summary>
    void Announce(ServerInfo server);

    /// <summary>Refreshes the heartbeat; false when the row is gone (the server was declared dead and must re-announce).</summary>
    bool Heartbeat(string serverId, int busy, DateTime now);

    void Remove(string serverId);

    /// <summary>Declares servers whose heartbeat is older than <paramref name="cutoff"/> dead, puts the jobs they had
    /// claimed back on their queues (the attempt stays counted) and removes them. Also frees claims of unknown servers.</summary>
    RecoveryResult RecoverDead(DateTime cutoff, DateTime now, string recoveringServerId);
}
