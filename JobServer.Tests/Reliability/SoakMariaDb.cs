namespace JobServer.Tests.Reliability;

/// <summary>The soak's own MariaDB instance (<c>.data/mariadb-soak</c>, or <c>JOBSERVER_SOAK_DB_DATADIR</c>): the soak
/// restarts it, and no other test may lose its database to that.</summary>
public sealed class SoakMariaDb() : PrivateMariaDb("mariadb-soak", "JOBSERVER_SOAK_DB_DATADIR");
