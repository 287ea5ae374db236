using System.Globalization;
using System.Text;
using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Inserts a batch of new jobs inside the caller's transaction, each ending exactly as <see cref="JobCreation"/>
/// would leave it. Jobs with a concurrency key or a parent go through <see cref="JobCreation"/> one by one (they
/// need locks and decisions per job); the common plain jobs go in chunks of multi-row statements: one INSERT of the
/// job rows, then one INSERT … SELECT each for their queue rows and history rows, one multi-row INSERT for schedule rows.
/// </summary>
internal static class JobBatchCreation
{
    /// <summary>Rows per multi-row INSERT: large enough to amortise the round trip, small enough for modest packets.</summary>
    internal const int ChunkSize = 1000;

    public static IReadOnlyList<CreatedJob> Insert(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<NewJob> jobs, DateTime now)
    {
        var created = new CreatedJob[jobs.Count];
        var plain = new List<int>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i].Concurrency is not null || jobs[i].After is not null)
            {
                // First, so a refused job fails the batch before the bulk work is done.
                created[i] = InsertOne(connection, transaction, jobs, i, now);
            }
            else
            {
                plain.Add(i);
            }
        }

        if (plain.Count == 0)
        {
            return created;
        }

        var settings = connection.QuerySingle<(long LockMode, long Increment)>(JobBatchSql.AutoIncrementSettings, transaction: transaction);
        var consecutiveIds = settings.LockMode <= 1 && settings.Increment == 1;
        foreach (var chunk in plain.Chunk(ChunkSize))
        {
            if (!consecutiveIds || !TryInsertChunk(connection, transaction, jobs, chunk, now, created))
            {
                foreach (var i in chunk)
                {
                    created[i] = InsertOne(connection, transaction, jobs, i, now);
                }
            }
        }

        return created;
    }

    private static CreatedJob InsertOne(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<NewJob> jobs, int index, DateTime now)
    {
        try
        {
            return JobCreation.Insert(connection, transaction, jobs[index], now);
        }
        catch (Exception ex) when (ex is ConcurrencyLimitReachedException or ContinuationParentException)
        {
            throw new JobBatchItemException(index, ex);
        }
    }

    /// <summary>
    /// Inserts one chunk of plain jobs with multi-row statements. The ids come from LAST_INSERT_ID() (the first id
    /// of the statement) plus the row's position: with innodb_autoinc_lock_mode 0 or 1 and auto_increment_increment
    /// 1 — checked by the caller — InnoDB documents that a "simple insert" (a multi-row VALUES list whose row count is
    /// known up front) takes its whole block of ids at once under the AUTO-INC lock, so they are consecutive even
    /// with concurrent inserters. We do not take that on faith: the range is read back inside the transaction and
    /// must hold exactly our rows, in order (type, queue, state, args length, created_at). If it does not, the chunk
    /// is rolled back to its savepoint and the caller inserts it row by row. Returns whether the chunk was written.
    /// </summary>
    private static bool TryInsertChunk(
        MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<NewJob> jobs, int[] chunk, DateTime now, CreatedJob[] created)
    {
        var states = chunk.Select(i => jobs[i].RunAt is { } runAt && runAt > now ? JobState.Scheduled : JobState.Enqueued).ToArray();
        var parameters = new DynamicParameters(new { now });
        var values = new ValueParameters(parameters);
        var sql = new StringBuilder(JobBatchSql.InsertJobsPrefix);
        for (var n = 0; n < chunk.Length; n++)
        {
            var job = jobs[chunk[n]];
            sql.Append(n == 0 ? "\n" : ",\n")
                .Append('(').Append(values.For(job.Type)).Append(", ").Append(values.For(job.Queue)).Append(", ")
                .Append(values.For(job.ArgsJson)).Append(", '").Append(states[n]).Append("', 0, @now)");
        }

        sql.Append(JobBatchSql.InsertJobsSuffix);
        connection.Execute(JobBatchSql.Savepoint, transaction: transaction);
        var (first, inserted) = connection.QuerySingle<(long First, long Inserted)>(sql.ToString(), parameters, transaction);
        var last = first + chunk.Length - 1;
        var range = new { first, last, now };
        if (inserted != chunk.Length || !RangeHoldsChunk(connection, transaction, jobs, chunk, states, range))
        {
            connection.Execute(JobBatchSql.RollbackToSavepoint, transaction: transaction);
            return false;
        }

        connection.Execute(JobBatchSql.InsertQueueRows, range, transaction);
        InsertScheduleRows(connection, transaction, jobs, chunk, states, first);
        connection.Execute(JobBatchSql.InsertHistoryRows, range, transaction);
        for (var n = 0; n < chunk.Length; n++)
        {
            created[chunk[n]] = new CreatedJob(first + n, states[n]);
        }

        return true;
    }

    private static bool RangeHoldsChunk(
        MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<NewJob> jobs, int[] chunk, JobState[] states, object range)
    {
        var rows = connection.Query<RangeRow>(JobBatchSql.ReadRange, range, transaction).AsList();
        if (rows.Count != chunk.Length)
        {
            return false;
        }

        for (var n = 0; n < chunk.Length; n++)
        {
            var job = jobs[chunk[n]];
            var row = rows[n];
            if (row.Id != rows[0].Id + n || row.Type != job.Type || row.Queue != job.Queue || row.State != states[n].ToString()
                || row.ArgsBytes != Encoding.UTF8.GetByteCount(job.ArgsJson))
            {
                return false;
            }
        }

        return true;
    }

    private static void InsertScheduleRows(
        MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<NewJob> jobs, int[] chunk, JobState[] states, long first)
    {
        if (!states.Contains(JobState.Scheduled))
        {
            return;
        }

        var parameters = new DynamicParameters();
        var values = new ValueParameters(parameters);
        var sql = new StringBuilder(JobBatchSql.InsertScheduleRowsPrefix);
        var separator = "\n";
        for (var n = 0; n < chunk.Length; n++)
        {
            if (states[n] != JobState.Scheduled)
            {
                continue;
            }

            var job = jobs[chunk[n]];
            parameters.Add($"r{n}", job.RunAt);
            sql.Append(separator).Append('(').Append((first + n).ToString(CultureInfo.InvariantCulture)).Append(", ")
                .Append(values.For(job.Queue)).Append(", @r").Append(n.ToString(CultureInfo.InvariantCulture)).Append(')');
            separator = ",\n";
        }

        connection.Execute(sql.ToString(), parameters, transaction);
    }

    /// <summary>One parameter per distinct string: a batch of 1,000 "sleep" jobs on "default" with the same arguments
    /// sends three values, not 3,000.</summary>
    private sealed class ValueParameters(DynamicParameters parameters)
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

        public string For(string value)
        {
            if (!_names.TryGetValue(value, out var name))
            {
                name = "v" + _names.Count.ToString(CultureInfo.InvariantCulture);
                parameters.Add(name, value);
                _names.Add(value, name);
            }

            return "@" + name;
        }
    }

    private sealed class RangeRow
    {
        public long Id { get; init; }

        public string Type { get; init; } = "";

        public string Queue { get; init; } = "";

        public string State { get; init; } = "";

        public long ArgsBytes { get; init; }
    }
}
