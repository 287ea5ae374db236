using MySqlConnector;

namespace JobServer.Storage.MySql.Transactions;

/// <summary>
/// Sends the commits of this process's concurrent transactions to the database together: while
/// <see cref="MaxInFlight"/> groups are on their way, the commits that arrive wait, and the first of them then sends all
/// of them as one database transaction — one round trip, one COMMIT, one log flush for many Hangfire transactions. A
/// caller's Commit returns only after the COMMIT that holds its statements succeeded, so a returned Commit is as durable
/// as before. Below that many commits at once, each goes at once on its caller's thread: waiting for another's round
/// trip would only add latency when the database is not the bottleneck.
/// <para>
/// Failures stay each transaction's own: InnoDB rolls back a deadlock victim whole, so the group is sent again; any
/// other statement error rolls the group back and every member is sent alone, so only the one at fault sees it. A
/// connection failure reaches every member, as it would have reached each of them alone (its outcome is unknown).
/// </para>
/// </summary>
internal sealed class CommitGroups(MySqlStorage storage)
{
    /// <summary>Members per group, and statements per group beyond which a transaction goes alone: keeps a group's
    /// packet and its lock set small.</summary>
    private const int MaxMembers = 32;
    private const int MaxStatements = 400;

    /// <summary>Groups on their way at once; more commits than this at the same moment are merged.</summary>
    private const int MaxInFlight = 4;

    private const string BeginSql = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION";

    private readonly object _gate = new();
    private readonly List<Member> _waiting = [];
    private int _inFlight;
    private long _mergedMembers;
    private long _releasedWithCommit;

    /// <summary>How many transactions so far were committed as members of a group of two or more.</summary>
    public long MergedMembers => Interlocked.Read(ref _mergedMembers);

    /// <summary>How many commits so far released the state lock they guarded in their own round trip.</summary>
    public long ReleasedWithCommit => Interlocked.Read(ref _releasedWithCommit);

    /// <summary>Commits <paramref name="commands"/> atomically and durably, merged with whatever else commits now.</summary>
    public void Commit(IReadOnlyList<WriteCommand> commands)
    {
        if (commands.Count == 0) return;
        var me = new Member(commands);
        if (commands.Count > MaxStatements || !storage.Options.MergeConcurrentCommits)
        {
            SendAloneWithRetries(me);
            me.ThrowIfFailed();
            return;
        }

        lock (_gate)
        {
            _waiting.Add(me);
            // Invariant: members wait only while MaxInFlight groups are on their way, so a caller that finds fewer is
            // alone in line and sends at once.
            if (_inFlight < MaxInFlight)
            {
                _inFlight++;
                me.Lead();
            }
        }

        me.WaitForTurn();
        if (me.IsLeader)
        {
            SendGroup(TakeGroup(me));
            HandOver();
        }
        me.ThrowIfFailed();
    }

    /// <summary>
    /// Commits <paramref name="commands"/> on <paramref name="session"/>, the session holding the user lock
    /// <paramref name="lockName"/>, and releases that lock right after the COMMIT in the same round trip. Only when the
    /// commit would have gone alone anyway (fewer than <see cref="MaxInFlight"/> on their way and none waiting); it then
    /// counts as one of those in flight (with merging switched off, always). Returns false, having sent nothing, when
    /// merging it with others pays more.
    /// </summary>
    public bool TryCommitReleasing(MySqlConnection session, string lockName, IReadOnlyList<WriteCommand> commands)
    {
        if (commands.Count == 0 || commands.Count > MaxStatements) return false;
        if (!storage.Options.MergeConcurrentCommits)
        {
            WithDeadlockRetries(() => SendReleasing(session, lockName, commands));
            Interlocked.Increment(ref _releasedWithCommit);
            return true;
        }
        lock (_gate)
        {
            if (_inFlight >= MaxInFlight || _waiting.Count > 0) return false;
            _inFlight++;
        }
        try
        {
            WithDeadlockRetries(() => SendReleasing(session, lockName, commands));
        }
        finally
        {
            HandOver();
        }
        Interlocked.Increment(ref _releasedWithCommit);
        return true;
    }

    /// <summary>The leader's own transaction and, in arrival order, those waiting that no other leader sends.</summary>
    private List<Member> TakeGroup(Member leader)
    {
        var group = new List<Member> { leader };
        var statements = leader.Commands.Count;
        lock (_gate)
        {
            _waiting.Remove(leader);
            for (var i = 0; i < _waiting.Count && group.Count < MaxMembers;)
            {
                var next = _waiting[i];
                if (next.IsLeader || statements + next.Commands.Count > MaxStatements)
                {
                    i++;
                    continue;
                }
                _waiting.RemoveAt(i);
                group.Add(next);
                statements += next.Commands.Count;
            }
        }
        return group;
    }

    /// <summary>The first of those who arrived meanwhile sends the next group; with none waiting, one fewer is on its way.</summary>
    private void HandOver()
    {
        lock (_gate)
        {
            var next = _waiting.Find(m => !m.IsLeader);
            if (next is not null) next.Lead();
            else _inFlight--;
        }
    }

    private void SendGroup(List<Member> group)
    {
        if (group.Count == 1)
        {
            SendAloneWithRetries(group[0]);
            return;
        }
        try
        {
            WithDeadlockRetries(() => Send(group.SelectMany(m => m.Commands)));
            Interlocked.Add(ref _mergedMembers, group.Count);
            foreach (var member in group) member.Done(null);
        }
        catch (MySqlException ex) when (!MySqlDatabase.IsConnectionFailure(ex))
        {
            // One member's statement failed (or the group kept deadlocking): nothing of the group was kept, and each
            // member now commits alone so that an error belongs to the transaction that caused it.
            foreach (var member in group) SendAloneWithRetries(member);
        }
        catch (Exception ex)
        {
            foreach (var member in group) member.Done(ex);
        }
    }

    private void SendAloneWithRetries(Member member)
    {
        try
        {
            WithDeadlockRetries(() => Send(member.Commands));
            member.Done(null);
        }
        catch (Exception ex)
        {
            member.Done(ex);
        }
    }

    private void WithDeadlockRetries(Action send)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                send();
                return;
            }
            catch (MySqlException ex) when (MySqlDatabase.IsDeadlock(ex) && attempt < storage.Options.DeadlockRetries)
            {
                // InnoDB rolled the victim back whole; nothing of it is visible, so the same batch can go again.
                Thread.Sleep(Random.Shared.Next(1, 10 * (attempt + 1)));
            }
        }
    }

    /// <summary>One transaction, statements sorted by table and key (stable: one key's statements keep their order, and
    /// a member's statements on a key stay together and in the order it queued them).</summary>
    private void Send(IEnumerable<WriteCommand> commands) => storage.Database.Use(connection =>
    {
        using var batch = new MySqlBatch(connection) { Timeout = storage.Database.CommandTimeoutSeconds };
        batch.BatchCommands.Add(new MySqlBatchCommand(BeginSql));
        AddSorted(batch, commands);
        batch.BatchCommands.Add(new MySqlBatchCommand("COMMIT"));
        batch.ExecuteNonQuery();
    });

    /// <summary>One transaction on the lock's session, then the release (DO: nothing to fail once the COMMIT passed). A
    /// failed statement leaves the transaction open there: rolled back, the lock kept for its owner to release.</summary>
    private void SendReleasing(MySqlConnection session, string lockName, IEnumerable<WriteCommand> commands)
    {
        using var batch = new MySqlBatch(session) { Timeout = storage.Database.CommandTimeoutSeconds };
        batch.BatchCommands.Add(new MySqlBatchCommand(BeginSql));
        AddSorted(batch, commands);
        batch.BatchCommands.Add(new MySqlBatchCommand("COMMIT"));
        var release = new MySqlBatchCommand("DO RELEASE_LOCK(@lockName)");
        release.Parameters.AddWithValue("@lockName", lockName);
        batch.BatchCommands.Add(release);
        try
        {
            batch.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            if (!storage.Database.NoteFailure(ex)) MySqlDatabase.RollbackOrDiscard(session);
            throw;
        }
    }

    /// <summary>The statements of a transaction already open on <paramref name="connection"/>, then its COMMIT.</summary>
    public static void SendOn(MySqlConnection connection, IEnumerable<WriteCommand> commands, int timeoutSeconds)
    {
        using var batch = new MySqlBatch(connection) { Timeout = timeoutSeconds };
        AddSorted(batch, commands);
        batch.BatchCommands.Add(new MySqlBatchCommand("COMMIT"));
        try
        {
            batch.ExecuteNonQuery();
        }
        catch (Exception)
        {
            MySqlDatabase.RollbackOrDiscard(connection);
            throw;
        }
    }

    private static void AddSorted(MySqlBatch batch, IEnumerable<WriteCommand> commands)
    {
        var sorted = commands.OrderBy(c => c.Table).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var run = 1;
            if (sorted[i].RowInsertHead is { } head)
            {
                while (i + run < sorted.Count && sorted[i + run].RowInsertHead == head) run++;
            }
            batch.BatchCommands.Add(run == 1 ? Single(sorted[i]) : MultiRowInsert(sorted, i, run));
            i += run;
        }
    }

    private static MySqlBatchCommand Single(WriteCommand command)
    {
        var batchCommand = new MySqlBatchCommand(command.Sql);
        batchCommand.Parameters.AddRange(command.Parameters);
        return batchCommand;
    }

    /// <summary>Counter increments of a commit (three per Succeeded job) and of a whole group become one statement.</summary>
    private static MySqlBatchCommand MultiRowInsert(List<WriteCommand> sorted, int start, int count)
    {
        var sql = new System.Text.StringBuilder(sorted[start].RowInsertHead);
        var batchCommand = new MySqlBatchCommand();
        for (var row = 0; row < count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            var parameters = sorted[start + row].Parameters;
            for (var column = 0; column < parameters.Length; column++)
            {
                var name = $"@r{row}c{column}";
                sql.Append(column == 0 ? name : ", " + name);
                batchCommand.Parameters.Add(new MySqlParameter(name, parameters[column].Value));
            }
            sql.Append(')');
        }
        batchCommand.CommandText = sql.ToString();
        return batchCommand;
    }

    private sealed class Member(IReadOnlyList<WriteCommand> commands)
    {
        private readonly ManualResetEventSlim _turn = new(false);
        private Exception? _failure;
        private bool _done;

        public IReadOnlyList<WriteCommand> Commands { get; } = commands;

        public bool IsLeader { get; private set; }

        public void Lead()
        {
            IsLeader = true;
            _turn.Set();
        }

        public void Done(Exception? failure)
        {
            _failure = failure;
            _done = true;
            _turn.Set();
        }

        /// <summary>Until this member's group was sent by another, or it is this member's turn to send one.</summary>
        public void WaitForTurn() => _turn.Wait();

        public void ThrowIfFailed()
        {
            if (!_done) throw new InvalidOperationException("A commit group ended without this transaction's outcome.");
            if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        }
    }
}
