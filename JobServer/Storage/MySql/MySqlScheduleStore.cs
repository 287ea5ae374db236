using Dapper;
using JobServer.Engine.States;

namespace JobServer.Storage.MySql;

internal sealed class MySqlScheduleStore(MySqlDb db) : IScheduleStore
{
    public PromotionResult PromoteDue(DateTime now, int max, string serverId)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var due = connection.Query<DueJob>(ScheduleSql.SelectDueForPromotion, new { now, max }, transaction).AsList();
            if (due.Count == 0)
            {
                return PromotionResult.None;
            }

            var ids = due.Select(d => d.JobId).ToList();
            connection.Execute(ScheduleSql.Promote, new { ids }, transaction);
            connection.Execute(
                HistorySql.InsertForJobs,
                new { ids, state = nameof(JobState.Enqueued), now, serverId, reason = "Scheduled time reached" },
                transaction);
            return new PromotionResult(due.Count, due.Select(d => d.Queue).Distinct().ToList());
        });
    }

    private sealed class DueJob
    {
        public long JobId { get; init; }

        public string Queue { get; init; } = "";
    }
}
