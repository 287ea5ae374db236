using System.Data;
using Dapper;
using JobServer.Engine.States;

namespace JobServer.Storage.MySql;

/// <summary>
/// Counts of the states that grow without bound are kept as counters, so no page or API call ever counts history.
/// The small states (Enqueued, Processing, Scheduled) are counted exactly from their small tables instead.
/// </summary>
internal static class Counters
{
    public static readonly JobState[] CountedStates = [JobState.Succeeded, JobState.Failed, JobState.Deleted];

    public static string StateCounter(JobState state) => "state:" + state;

    public static bool IsCounted(JobState state) => Array.IndexOf(CountedStates, state) >= 0;

    /// <summary>Appends the delta rows a move from <paramref name="from"/> to <paramref name="to"/> needs, for <paramref name="count"/> jobs.</summary>
    public static void RecordTransition(IDbConnection connection, IDbTransaction transaction, JobState? from, JobState to, long count = 1)
    {
        if (from is { } previous && IsCounted(previous))
        {
            connection.Execute(HistorySql.InsertCounterDelta, new { name = StateCounter(previous), delta = -count }, transaction);
        }

        if (IsCounted(to))
        {
            connection.Execute(HistorySql.InsertCounterDelta, new { name = StateCounter(to), delta = count }, transaction);
        }
    }
}
