using System.Text;
using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// Job ids newest first with optional filters. A state filter is a range of ix_hf_job_state; without one the page
/// walks the primary key backwards. Queue and type filters read the invocation data (JSON_VALUE), so they scan the
/// jobs the other filters leave: fine for a history kept for days, and the count is one more such scan.
/// </summary>
internal static class JobListQuery
{
    public static JobIdPage Page(MySqlConnection connection, JobListFilter filter, int from, int count, int timeoutSeconds)
    {
        var where = Where(filter);
        var parameters = new
        {
            stateName = filter.StateName,
            queue = filter.Queue,
            typeName = filter.TypeName,
            methodName = filter.MethodName,
            from = Math.Max(from, 0),
            count = Math.Max(count, 0),
        };
        var ids = count <= 0
            ? []
            : connection.Query<long>($"SELECT id FROM hf_job{where} ORDER BY id DESC LIMIT @count OFFSET @from", parameters, commandTimeout: timeoutSeconds).AsList();
        var total = connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM hf_job{where}", parameters, commandTimeout: timeoutSeconds);
        return new JobIdPage(ids, total);
    }

    // Only fixed fragments are joined; every value is a parameter. Hangfire writes the payload compactly ("t", "m",
    // "q") from compatibility level 1.7 on, and with full names ("Type", "Method", "Queue") below it.
    private static string Where(JobListFilter filter)
    {
        var conditions = new List<string>();
        // A job being created has no state yet and belongs on no list, as on Hangfire's dashboard.
        conditions.Add(filter.StateName is null ? "state_name IS NOT NULL" : "state_name = @stateName");
        if (filter.Queue is not null)
            conditions.Add("COALESCE(JSON_VALUE(invocation_data, '$.q'), JSON_VALUE(invocation_data, '$.Queue'), 'default') = @queue");
        if (filter.TypeName is not null)
            conditions.Add("COALESCE(JSON_VALUE(invocation_data, '$.t'), JSON_VALUE(invocation_data, '$.Type')) = @typeName");
        if (filter.MethodName is not null)
            conditions.Add("COALESCE(JSON_VALUE(invocation_data, '$.m'), JSON_VALUE(invocation_data, '$.Method')) = @methodName");
        var sql = new StringBuilder(" WHERE ");
        sql.AppendJoin(" AND ", conditions);
        return sql.ToString();
    }
}
