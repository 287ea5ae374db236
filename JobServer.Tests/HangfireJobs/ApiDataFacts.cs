using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.HangfireJobs;

/// <summary>What a bulk-insert job left behind: exactly once means Rows = DistinctSeq = MaxSeq = the rows asked for,
/// MinSeq 1, and one ledger row per chunk.</summary>
internal static class ApiDataFacts
{
    public static (long Rows, long DistinctSeq, long MinSeq, long MaxSeq) RowsOf(TestDatabase database, string jobId)
    {
        using var connection = database.Open();
        return connection.QuerySingle<(long, long, long, long)>(
            "SELECT COUNT(*), COUNT(DISTINCT seq), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM api_data WHERE job_id = @jobId",
            new { jobId = long.Parse(jobId) }, commandTimeout: 120);
    }

    public static (long Chunks, long Rows) LedgerOf(TestDatabase database, string jobId)
    {
        using var connection = database.Open();
        return connection.QuerySingle<(long, long)>(
            "SELECT COUNT(*), COALESCE(SUM(row_count), 0) FROM api_data_chunk WHERE job_id = @jobId",
            new { jobId = long.Parse(jobId) });
    }
}
