using Dapper;
using JobServer.Engine.States;

namespace JobServer.Storage.MySql;

internal sealed class MySqlMaintenanceStore(MySqlDb db) : IMaintenanceStore
{
    public int ExpireJobs(DateTime now, int max)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var expired = connection.Query<ExpiredJob>(MaintenanceSql.SelectExpiredForDelete, new { now, max }, transaction).AsList();
            if (expired.Count == 0)
            {
                return 0;
            }

            connection.Execute(MaintenanceSql.DeleteJobs, new { ids = expired.Select(j => j.Id).ToList() }, transaction);
            foreach (var group in expired.GroupBy(j => Enum.Parse<JobState>(j.State)))
            {
                if (Counters.IsCounted(group.Key))
                {
                    connection.Execute(HistorySql.InsertCounterDelta, new { name = Counters.StateCounter(group.Key), delta = -group.Count() }, transaction);
                }
            }

            return expired.Count;
        });
    }

    public int ExpireRecurringRuns(DateTime before, int max) =>
        db.Run(connection => connection.Execute(MaintenanceSql.DeleteOldRecurringRuns, new { before, max }));

    public int ExpireHourlyCounters(DateTime before) =>
        db.Run(connection => connection.Execute(MaintenanceSql.DeleteOldHourlyCounters, new { before = Counters.HourPrefix(before) }));

    public int AggregateCounters(int max)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var deltas = connection.Query<CounterDelta>(MaintenanceSql.SelectDeltasForFold, new { max }, transaction).AsList();
            if (deltas.Count == 0)
            {
                return 0;
            }

            foreach (var counter in deltas.GroupBy(d => d.Name))
            {
                connection.Execute(MaintenanceSql.AddToCounter, new { name = counter.Key, delta = counter.Sum(d => d.Delta) }, transaction);
            }

            connection.Execute(MaintenanceSql.DeleteDeltas, new { ids = deltas.Select(d => d.Id).ToList() }, transaction);
            return deltas.Count;
        });
    }

    private sealed class ExpiredJob
    {
        public long Id { get; init; }

        public string State { get; init; } = "";
    }

    private sealed class CounterDelta
    {
        public long Id { get; init; }

        public string Name { get; init; } = "";

        public long Delta { get; init; }
    }
}
