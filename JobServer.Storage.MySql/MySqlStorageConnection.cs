using Dapper;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;
using JobServer.Storage.MySql.Entities;
using JobServer.Storage.MySql.Locks;
using JobServer.Storage.MySql.Transactions;
using MySqlConnector;

namespace JobServer.Storage.MySql;

/// <summary>
/// Hangfire's connection to the storage: a facade over the entity classes in Entities/. Each call takes a pooled
/// connection for its own duration, except while this object holds a distributed lock: then one physical connection
/// is pinned (GET_LOCK belongs to a session) and every call uses it until the last lock is released. Locks are
/// re-entrant per connection object. Not thread-safe, like every Hangfire storage connection.
/// </summary>
internal sealed class MySqlStorageConnection : JobStorageConnection
{
    private readonly MySqlStorage _storage;
    private readonly Dictionary<string, HeldLock> _locks = new(StringComparer.Ordinal);
    private MySqlConnection? _pinned;
    private (long Id, JobData? Data)? _readWithLock;

    public MySqlStorageConnection(MySqlStorage storage) => _storage = storage;

    private MySqlDatabase Database => _storage.Database;

    public override IWriteOnlyTransaction CreateWriteTransaction()
    {
        _readWithLock = null;
        return new MySqlWriteOnlyTransaction(_storage, this);
    }

    /// <summary>
    /// The state lock of job <paramref name="jobId"/> when this connection holds it exactly once (not re-entered), for
    /// a transaction that sets that job's state: its commit may release the lock in the same round trip. Hangfire's
    /// state changer commits the new state as the last thing it does under the job's lock, so the lock ends when the
    /// state it guarded is committed rather than one round trip later.
    /// </summary>
    internal MySqlDistributedLock? SoleStateLockOf(long jobId) =>
        _locks.TryGetValue(StateLockResource(jobId), out var held) && held.Count == 1 && !held.Lock.IsReleased ? held.Lock : null;

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_locks.TryGetValue(resource, out var held))
        {
            held.Count++;
            return new LockRelease(this, resource);
        }
        var connection = _pinned ??= Database.Open();
        _readWithLock = null;
        try
        {
            if (StateLockJobId(resource) is { } jobId)
            {
                // Hangfire reads the job as soon as it holds the job's state lock: that read travels with GET_LOCK.
                _locks[resource] = new HeldLock(MySqlDistributedLock.AcquireThenRead(connection, Database, resource, timeout, Jobs.ReadDataUnderLock(jobId), out var data));
                _readWithLock = (jobId, data);
            }
            else
            {
                _locks[resource] = new HeldLock(MySqlDistributedLock.Acquire(connection, Database, resource, timeout));
            }
        }
        catch
        {
            UnpinIfFree();
            throw;
        }
        return new LockRelease(this, resource);
    }

    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken)
    {
        if (queues is null || queues.Length == 0) throw new ArgumentNullException(nameof(queues), "Fetching needs at least one queue.");
        return _storage.Fetchers.For(queues).Fetch(cancellationToken);
    }

    public override string CreateExpiredJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        var id = Use(c => Jobs.Create(c, inTransaction: false, job, parameters!, createdAt, createdAt.Add(expireIn), Database.CommandTimeoutSeconds));
        return JobIds.Format(id);
    }

    public override JobData? GetJobData(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (!JobIds.TryParse(jobId, out var id)) return null;
        // Read when its state lock was granted, and nothing was done through this connection since.
        if (_readWithLock is { } read && read.Id == id)
        {
            _readWithLock = null;
            return read.Data;
        }
        return Use(c => Jobs.GetData(c, id));
    }

    public override StateData? GetStateData(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return JobIds.TryParse(jobId, out var id) ? Use(c => Jobs.GetState(c, id)) : null;
    }

    public override void SetJobParameter(string id, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        // An id that is not one of ours names no job: nothing to write, as GetJobParameter finds nothing.
        if (!JobIds.TryParse(id, out var jobId)) return;
        Use(c => { Jobs.SetParameter(c, jobId, name, value); return 0; });
    }

    public override string? GetJobParameter(string id, string name)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        return JobIds.TryParse(id, out var jobId) ? Use(c => Jobs.GetParameter(c, jobId, name)) : null;
    }

    public override HashSet<string> GetAllItemsFromSet(string key) => Use(c => Sets.GetAll(c, Key(key)));

    public override string? GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) =>
        GetFirstByLowestScoreFromSet(key, fromScore, toScore, 1).FirstOrDefault();

    public override List<string> GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), "The value must be a positive number.");
        if (toScore < fromScore) throw new ArgumentException("The `toScore` value must be higher or equal to the `fromScore` value.", nameof(toScore));
        return Use(c => Sets.GetLowest(c, key, fromScore, toScore, count));
    }

    public override long GetSetCount(string key) => Use(c => Sets.Count(c, Key(key)));

    public override long GetSetCount(IEnumerable<string> keys, int limit)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit), "The value must be non-negative.");
        var list = keys.ToArray();
        return list.Length == 0 || limit == 0 ? 0 : Use(c => Sets.Count(c, list, limit));
    }

    public override bool GetSetContains(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Use(c => Sets.Contains(c, Key(key), value));
    }

    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt)
    {
        ValidateRange(key, startingFrom, endingAt);
        return Use(c => Sets.GetRange(c, key, startingFrom, endingAt));
    }

    public override TimeSpan GetSetTtl(string key) => Ttl(Use(c => Sets.MinExpireAt(c, Key(key))));

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        using var transaction = new MySqlWriteOnlyTransaction(_storage);
        transaction.SetRangeInHash(key, keyValuePairs);
        transaction.Commit();
    }

    public override Dictionary<string, string>? GetAllEntriesFromHash(string key) => Use(c => Hashes.GetAll(c, Key(key)));

    public override string? GetValueFromHash(string key, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Use(c => Hashes.GetValue(c, Key(key), name));
    }

    public override long GetHashCount(string key) => Use(c => Hashes.Count(c, Key(key)));

    public override TimeSpan GetHashTtl(string key) => Ttl(Use(c => Hashes.MinExpireAt(c, Key(key))));

    public override long GetListCount(string key) => Use(c => Lists.Count(c, Key(key)));

    public override TimeSpan GetListTtl(string key) => Ttl(Use(c => Lists.MinExpireAt(c, Key(key))));

    public override List<string> GetAllItemsFromList(string key) => Use(c => Lists.GetAll(c, Key(key)));

    public override List<string> GetRangeFromList(string key, int startingFrom, int endingAt)
    {
        ValidateRange(key, startingFrom, endingAt);
        return Use(c => Lists.GetRange(c, key, startingFrom, endingAt));
    }

    public override long GetCounter(string key) => Use(c => Counters.Get(c, Key(key)));

    public override DateTime GetUtcDateTime() =>
        DateTime.SpecifyKind(Use(c => c.ExecuteScalar<DateTime>("SELECT UTC_TIMESTAMP(6)")), DateTimeKind.Utc);

    public override void AnnounceServer(string serverId, ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(context);
        Use(c => { Servers.Announce(c, _storage.Owner, serverId, context); return 0; });
    }

    public override void RemoveServer(string serverId)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        Use(c => { Servers.Remove(c, serverId); return 0; });
    }

    public override void Heartbeat(string serverId)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        if (!Use(c => Servers.Heartbeat(c, serverId))) throw new BackgroundServerGoneException();
    }

    /// <summary>
    /// Removes servers whose heartbeat is older than <paramref name="timeOut"/> and, in the same transaction, gives back
    /// the jobs their processes fetched — unless this process itself just came back from an outage (then its peers'
    /// keep-alives may have failed for the same reason; recovery retries later).
    /// </summary>
    public override int RemoveTimedOutServers(TimeSpan timeOut)
    {
        if (timeOut.Duration() != timeOut) throw new ArgumentException("The `timeOut` value must be positive.", nameof(timeOut));
        var staleAfter = TimeSpan.FromTicks(Math.Max(timeOut.Ticks, 2 * _storage.Options.KeepAliveInterval.Ticks));
        var requeueAfter = Database.ReachableFor >= staleAfter ? staleAfter : TimeSpan.FromDays(3650);
        var (servers, jobs) = Use(c => Servers.RemoveTimedOut(c, timeOut, requeueAfter));
        if (jobs > 0) _storage.Fetchers.NotifyAll();
        return servers;
    }

    public override void Dispose()
    {
        foreach (var held in _locks.Values) held.Lock.Dispose();
        _locks.Clear();
        _pinned?.Dispose();
        _pinned = null;
        base.Dispose();
    }

    private T Use<T>(Func<MySqlConnection, T> operation)
    {
        _readWithLock = null;
        if (_pinned is null) return Database.Use(operation);
        try
        {
            return operation(_pinned);
        }
        catch (Exception ex)
        {
            // As in MySqlDatabase.Use: a failed statement of a START TRANSACTION … COMMIT text leaves it open.
            if (!Database.NoteFailure(ex)) MySqlDatabase.RollbackOrDiscard(_pinned);
            throw;
        }
    }

    private static string StateLockResource(long jobId) => $"job:{JobIds.Format(jobId)}:state-lock";

    /// <summary>The job whose state lock <paramref name="resource"/> is (Hangfire names them job:{id}:state-lock).</summary>
    private static long? StateLockJobId(string resource) =>
        resource.StartsWith("job:", StringComparison.Ordinal) && resource.EndsWith(":state-lock", StringComparison.Ordinal)
        && JobIds.TryParse(resource["job:".Length..^":state-lock".Length], out var id) ? id : null;

    private void Release(string resource)
    {
        _readWithLock = null;
        if (!_locks.TryGetValue(resource, out var held)) return;
        if (--held.Count > 0) return;
        _locks.Remove(resource);
        held.Lock.Dispose();
        UnpinIfFree();
    }

    private void UnpinIfFree()
    {
        if (_locks.Count > 0 || _pinned is null) return;
        _pinned.Dispose();
        _pinned = null;
    }

    private TimeSpan Ttl(DateTime? expireAt) => expireAt is { } at
        ? DateTime.SpecifyKind(at, DateTimeKind.Utc) - _storage.Time.GetUtcNow().UtcDateTime
        : TimeSpan.FromSeconds(-1);

    private static string Key(string key) => key ?? throw new ArgumentNullException(nameof(key));

    /// <summary>As the reference storage: a negative start or an end before the start is the caller's mistake, not an empty page.</summary>
    private static void ValidateRange(string key, int startingFrom, int endingAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (startingFrom < 0) throw new ArgumentOutOfRangeException(nameof(startingFrom), startingFrom, "The value must be greater than or equal to zero.");
        if (endingAt < startingFrom) throw new ArgumentOutOfRangeException(nameof(endingAt), endingAt, "The value must be greater than or equal to `startingFrom`.");
    }

    private sealed class HeldLock(MySqlDistributedLock @lock)
    {
        public MySqlDistributedLock Lock { get; } = @lock;
        public int Count { get; set; } = 1;
    }

    private sealed class LockRelease(MySqlStorageConnection owner, string resource) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            owner.Release(resource);
        }
    }
}
