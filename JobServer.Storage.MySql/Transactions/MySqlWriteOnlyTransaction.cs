using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Storage.MySql.Entities;
using JobServer.Storage.MySql.Locks;
using JobServer.Storage.MySql.Queue;
using MySqlConnector;

namespace JobServer.Storage.MySql.Transactions;

/// <summary>
/// Queues Hangfire's writes and sends them at <see cref="Commit"/> as one <see cref="MySqlBatch"/>: one round trip, one
/// database transaction, statements sorted by table and key so that concurrent commits lock rows in the same order and
/// cannot deadlock each other. InnoDB may still pick a victim (gap locks); that batch is sent again. Concurrent commits
/// of this process travel together (<see cref="CommitGroups"/>). A returned Commit is durable. <see cref="CreateJob"/> and <see cref="AcquireDistributedLock"/> need the database at once: they
/// open the transaction early on a connection of its own, and Commit finishes it there.
/// </summary>
internal sealed class MySqlWriteOnlyTransaction : JobStorageTransaction
{
    private const string BeginSql = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION";

    private readonly MySqlStorage _storage;
    private readonly MySqlStorageConnection? _connection;
    private readonly List<WriteCommand> _commands = [];
    private readonly List<MySqlFetchedJob> _acknowledged = [];
    private readonly HashSet<string> _enqueuedQueues = new(StringComparer.Ordinal);
    private readonly List<MySqlDistributedLock> _locks = [];
    private readonly Dictionary<long, (int Index, string StateName)> _stateSetAt = [];
    private MySqlConnection? _early;
    private bool _finished;

    /// <param name="connection">The connection that created this transaction, whose locks its commit may release.</param>
    public MySqlWriteOnlyTransaction(MySqlStorage storage, MySqlStorageConnection? connection = null)
    {
        _storage = storage;
        _connection = connection;
    }

    private DateTime Now => _storage.Time.GetUtcNow().UtcDateTime;

    public override void ExpireJob(string jobId, TimeSpan expireIn)
    {
        if (TryJob(jobId, out var id) && !FoldIntoStateUpdate(id, Now.Add(expireIn))) Queue(Jobs.ExpireCommand(id, Now.Add(expireIn)));
    }

    public override void PersistJob(string jobId)
    {
        if (TryJob(jobId, out var id) && !FoldIntoStateUpdate(id, null)) Queue(Jobs.PersistCommand(id));
    }

    public override void SetJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!TryJob(jobId, out var id)) return;
        foreach (var command in Jobs.SetStateCommands(id, state, Now)) Queue(command);
        _stateSetAt[id] = (_commands.Count - 1, state.Name);
    }

    /// <summary>When this transaction set the job's state, its expiry goes into that same UPDATE of hf_job.</summary>
    private bool FoldIntoStateUpdate(long id, DateTime? expireAt)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!_stateSetAt.TryGetValue(id, out var set)) return false;
        _commands[set.Index] = Jobs.PointAtStateAndExpireCommand(id, set.StateName, expireAt);
        return true;
    }

    public override void AddJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (TryJob(jobId, out var id)) Queue(Jobs.AddStateCommand(id, state, Now));
    }

    public override void SetJobParameter(string id, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryJob(id, out var jobId)) Queue(Jobs.SetParameterCommand(jobId, name, value));
    }

    public override void AddToQueue(string queue, string jobId)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (!TryJob(jobId, out var id)) return;
        Queue(new WriteCommand(TableOrder.Queue, queue, QueueSql.Enqueue, [WriteCommand.P("@jobId", id), WriteCommand.P("@queue", queue)]));
        _enqueuedQueues.Add(queue);
    }

    /// <summary>Transactional acknowledge: the queue row goes with the final state, or not at all.</summary>
    public override void RemoveFromQueue(IFetchedJob fetchedJob)
    {
        if (fetchedJob is not MySqlFetchedJob job)
            throw new ArgumentException($"Expected a {nameof(MySqlFetchedJob)}, got {fetchedJob?.GetType().Name ?? "null"}.", nameof(fetchedJob));
        Queue(new WriteCommand(TableOrder.Queue, job.Queue, QueueSql.DeleteFetched, [WriteCommand.P("@id", job.RowId), WriteCommand.P("@token", job.Token)]));
        _acknowledged.Add(job);
    }

    public override void IncrementCounter(string key) => Queue(Counters.Add(Key(key), 1, null));

    public override void IncrementCounter(string key, TimeSpan expireIn) => Queue(Counters.Add(Key(key), 1, Now.Add(expireIn)));

    public override void DecrementCounter(string key) => Queue(Counters.Add(Key(key), -1, null));

    public override void DecrementCounter(string key, TimeSpan expireIn) => Queue(Counters.Add(Key(key), -1, Now.Add(expireIn)));

    public override void AddToSet(string key, string value) => AddToSet(key, value, 0.0);

    public override void AddToSet(string key, string value, double score)
    {
        ArgumentNullException.ThrowIfNull(value);
        Queue(Sets.Add(Key(key), value, score));
    }

    public override void AddRangeToSet(string key, IList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items.OrderBy(i => i, StringComparer.Ordinal)) AddToSet(key, item, 0.0);
    }

    public override void RemoveFromSet(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Queue(Sets.Remove(Key(key), value));
    }

    public override void RemoveSet(string key) => Queue(Sets.RemoveAll(Key(key)));

    public override void ExpireSet(string key, TimeSpan expireIn) => Queue(Sets.Expire(Key(key), Now.Add(expireIn)));

    public override void PersistSet(string key) => Queue(Sets.Persist(Key(key)));

    public override void InsertToList(string key, string value) => Queue(Lists.Insert(Key(key), value));

    public override void RemoveFromList(string key, string value) => Queue(Lists.Remove(Key(key), value));

    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt) =>
        Queue(Lists.Trim(Key(key), keepStartingFrom, keepEndingAt));

    public override void ExpireList(string key, TimeSpan expireIn) => Queue(Lists.Expire(Key(key), Now.Add(expireIn)));

    public override void PersistList(string key) => Queue(Lists.Persist(Key(key)));

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        foreach (var command in Hashes.SetRange(Key(key), keyValuePairs!)) Queue(command);
    }

    public override void RemoveHash(string key) => Queue(Hashes.RemoveAll(Key(key)));

    public override void ExpireHash(string key, TimeSpan expireIn) => Queue(Hashes.Expire(Key(key), Now.Add(expireIn)));

    public override void PersistHash(string key) => Queue(Hashes.Persist(Key(key)));

    /// <summary>Creates the job now, inside this transaction: it exists for others only once Commit returns.</summary>
    public override string CreateJob(Hangfire.Common.Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        var connection = Early();
        var id = Jobs.Create(connection, inTransaction: true, job, parameters!, createdAt, createdAt.Add(expireIn), _storage.Database.CommandTimeoutSeconds);
        return JobIds.Format(id);
    }

    /// <summary>Held until this transaction commits or is disposed, on the transaction's own connection.</summary>
    public override void AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        _locks.Add(MySqlDistributedLock.Acquire(Early(), _storage.Database, resource, timeout));
    }

    public override void Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        try
        {
            if (_early is not null) CommitGroups.SendOn(_early, _commands, _storage.Database.CommandTimeoutSeconds);
            else if (!TryCommitReleasingStateLock()) _storage.Commits.Commit(_commands);
        }
        finally
        {
            // The locks guarded this commit; held until Dispose they would only keep others waiting.
            ReleaseLocks();
        }
        // Acknowledged with the state: the fetched jobs' own RemoveFromQueue is now a no-op.
        foreach (var job in _acknowledged) job.MarkFinished();
        foreach (var queue in _enqueuedQueues) _storage.Fetchers.NotifyEnqueued(queue);
    }

    /// <summary>A state change of one job, committed while its connection holds that job's state lock once: sent on the
    /// lock's session with the lock's release after the COMMIT, one round trip for both — unless other commits are
    /// waiting to be merged, which saves more. The lock is released only if the COMMIT succeeded.</summary>
    private bool TryCommitReleasingStateLock()
    {
        if (_connection is null || _stateSetAt.Count != 1) return false;
        var jobId = _stateSetAt.Keys.First();
        if (_connection.SoleStateLockOf(jobId) is not { } stateLock) return false;
        if (!_storage.Commits.TryCommitReleasing(stateLock.Session, stateLock.Name, _commands)) return false;
        stateLock.MarkReleased();
        return true;
    }

    public override void Dispose()
    {
        ReleaseLocks();
        if (_early is not null)
        {
            // Never committed: the early transaction (and any job it created) is rolled back before the session is pooled.
            MySqlDatabase.RollbackOrDiscard(_early);
            _early.Dispose();
            _early = null;
        }
        base.Dispose();
    }

    private void ReleaseLocks()
    {
        foreach (var held in _locks) held.Dispose();
        _locks.Clear();
    }

    private MySqlConnection Early()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_early is not null) return _early;
        var connection = _storage.Database.Open();
        using (var begin = new MySqlCommand(BeginSql, connection)) begin.ExecuteNonQuery();
        return _early = connection;
    }

    private void Queue(WriteCommand command)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _commands.Add(command);
    }

    private static string Key(string key) => key ?? throw new ArgumentNullException(nameof(key));

    /// <summary>As in the reference storage, a write to an id that is not one of ours names no job and is skipped.</summary>
    private static bool TryJob(string jobId, out long id)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return JobIds.TryParse(jobId, out id);
    }
}
