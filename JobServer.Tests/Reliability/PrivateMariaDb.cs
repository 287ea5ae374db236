using System.Globalization;
using System.Net;
using System.Net.Sockets;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Reliability;

/// <summary>
/// A MariaDB instance of the outage test's own (scripts/db.sh, data in <c>.data/mariadb-outage</c>, or
/// <c>JOBSERVER_OUTAGE_DB_DATADIR</c>), with a <see cref="TestDatabase"/> on it. The test stops and starts this
/// instance, never the shared one: <c>dotnet test</c> runs the solution's test assemblies side by side, so even a
/// serial collection cannot keep the storage tests off a shared instance while it is down. Stopped at the end if this
/// fixture started it; a running instance on the same data directory is reused (and left running).
/// </summary>
public class PrivateMariaDb : IAsyncLifetime
{
    private bool _started;

    public PrivateMariaDb()
        : this("mariadb-outage", "JOBSERVER_OUTAGE_DB_DATADIR")
    {
    }

    /// <param name="directoryName">Under the repository's .data unless <paramref name="variable"/> names another.</param>
    protected PrivateMariaDb(string directoryName, string variable) =>
        DataDirectory = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } dir ? dir : Path.Combine(TestMariaDb.RepositoryRoot(), ".data", directoryName);

    public string DataDirectory { get; }

    public int Port { get; private set; }

    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The same account as the shared instance's (scripts/test.sh), limited to the test databases.
        var started = await Task.Run(() => TestMariaDb.RunDbScript("""
            db_install_if_missing >&2 && db_start "$DATADIR" "$PORT" >&2 && db_root_sql "$DATADIR" >&2 <<'SQL' && echo "$DB_PORT $DB_STARTED"
            CREATE USER IF NOT EXISTS 'jobserver_test'@'127.0.0.1' IDENTIFIED BY 'jobserver_test';
            ALTER USER 'jobserver_test'@'127.0.0.1' IDENTIFIED BY 'jobserver_test';
            GRANT ALL PRIVILEGES ON `jobserver\_t\_%`.* TO 'jobserver_test'@'127.0.0.1';
            SQL
            """, new() { ["DATADIR"] = DataDirectory, ["PORT"] = FreePort().ToString(CultureInfo.InvariantCulture) }));
        var words = started.Trim().Split(' ');
        Port = int.Parse(words[0], CultureInfo.InvariantCulture);
        _started = words[1] == "1";
        Database = new TestDatabase($"Server=127.0.0.1;Port={Port};User ID=jobserver_test;Password=jobserver_test;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true");
        await Database.InitializeAsync();
    }

    /// <summary>Runs SQL as root on this instance (through its socket); returns what the client printed.</summary>
    public string RootSql(string sql) =>
        TestMariaDb.RunDbScript("db_root_sql \"$DATADIR\" <<'SQL'\n" + sql + "\nSQL", new() { ["DATADIR"] = DataDirectory });

    public void Stop() => TestMariaDb.Stop(DataDirectory);

    public void Start() => TestMariaDb.Start(DataDirectory, Port);

    public async Task DisposeAsync()
    {
        try
        {
            // A failed test may have left it stopped; the database must still be dropped.
            Start();
            await Database.DisposeAsync();
        }
        finally
        {
            if (_started) await Task.Run(Stop);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
