using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.BulkInsert;

/// <summary>The rows a bulk-insert job left in <c>api_data</c>: exactly once means Rows = DistinctSeq = MaxSeq = the rows asked for.</summary>
internal static class ApiDataRows
{
    public static (long Rows, long DistinctSeq, long MaxSeq) Of(TestDatabase database, long jobId)
    {
        using var connection = database.Open();
        return connection.QuerySingle<(long, long, long)>(
            "SELECT COUNT(*), COUNT(DISTINCT seq), COALESCE(MAX(seq), 0) FROM api_data WHERE job_id = @jobId", new { jobId }, commandTimeout: 120);
    }

    public static int Chunks(TestDatabase database, long jobId)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM api_data_chunk WHERE job_id = @jobId", new { jobId });
    }
}
