using Dapper;
using MySqlConnector;

namespace JobServer.Tests.Reliability;

/// <summary>
/// Samples the server's process list twice a second during the soak: the sessions of each JobServer process (each
/// connects as a MySQL user of its own, so its sessions are countable) must stay within its pool's Maximum Pool Size.
/// Samples the database cannot answer (restarting) are skipped.
/// </summary>
internal sealed class SoakConnections(string connectionString, IReadOnlyCollection<string> users)
{
    private readonly Dictionary<string, int> _peaks = users.ToDictionary(u => u, _ => 0);

    public int Samples { get; private set; }

    public IReadOnlyDictionary<string, int> Peaks => _peaks;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new MySqlConnection(connectionString);
                await connection.OpenAsync(stop);
                var rows = await connection.QueryAsync<(string User, int Sessions)>(
                    "SELECT USER, COUNT(*) FROM information_schema.PROCESSLIST GROUP BY USER");
                foreach (var (user, sessions) in rows)
                {
                    if (_peaks.TryGetValue(user, out var peak) && sessions > peak) _peaks[user] = sessions;
                }

                Samples++;
            }
            catch (MySqlException)
            {
                MySqlConnection.ClearPool(new MySqlConnection(connectionString));
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(500, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
