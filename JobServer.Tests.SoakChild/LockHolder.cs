using JobServer.Storage.MySql;

namespace JobServer.Tests.SoakChild;

/// <summary>Takes Hangfire distributed locks through the storage, as Hangfire's own processes do, prints
/// <see cref="ReadyLine"/> and waits to be killed: the test checks the locks are free the moment the process dies.</summary>
public static class LockHolder
{
    public const string Command = "hold-lock";
    public const string ReadyLine = "locks held";
    public const string TransactionPrefix = "tx:";

    public static void Run(string[] resources)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__JobServer")
            ?? throw new InvalidOperationException("ConnectionStrings__JobServer is not set.");
        var storage = new MySqlStorage(connectionString, new MySqlStorageOptions { PrepareSchemaIfNecessary = false });
        var held = resources.Select(Hold).ToList();
        Console.WriteLine(ReadyLine);
        // Never released: the test ends this process with SIGKILL.
        Thread.Sleep(Timeout.Infinite);
        GC.KeepAlive(held);

        // "tx:<resource>" takes it inside a write transaction, as Hangfire's state changer takes a job's state lock
        // (our transaction holds it on the connection its early-opened transaction runs on); otherwise on a connection.
        object Hold(string resource)
        {
            var connection = storage.GetConnection();
            if (!resource.StartsWith(TransactionPrefix, StringComparison.Ordinal)) return connection.AcquireDistributedLock(resource, TimeSpan.FromSeconds(10));
            var transaction = (Hangfire.Storage.JobStorageTransaction)connection.CreateWriteTransaction();
            transaction.AcquireDistributedLock(resource[TransactionPrefix.Length..], TimeSpan.FromSeconds(10));
            return transaction;
        }
    }
}
