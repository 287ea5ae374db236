using System.Data;
using System.Globalization;
using Dapper;
using JobServer.Engine.States;

namespace JobServer.Storage.MySql;

/// <summary>
/// Counts of the states that grow without bound are kept as counters, so no page or API call ever counts history.
/// The small states (Enqueued, Processing, Scheduled, Awaiting) are counted exactly from their small tables instead.
/// Besides the current count per state (<c>state:*</c>, which expiry decrements) there are all-time totals of
/// outcomes (<c>total:*</c>, only ever growing: the dashboard's realtime graph differentiates them) and outcomes per
/// hour (<c>hour:yyyyMMddHH:*</c>, for the history graphs; expired after 8 days).
/// </summary>
internal static class Counters
{
    public static readonly JobState[] CountedStates = [JobState.Succeeded, JobState.Failed, JobState.Deleted];

    public static readonly JobState[] Outcomes = [JobState.Succeeded, JobState.Failed];

    public static string StateCounter(JobState state) => "state:" + state;

    public static string TotalCounter(JobState state) => "total:" + state;

    public static string HourPrefix(DateTime hour) => "hour:" + hour.ToString("yyyyMMddHH", CultureInfo.InvariantCulture) + ":";

    public static string HourCounter(DateTime at, JobState state) => HourPrefix(at) + state;

    public static bool IsCounted(JobState state) => Array.IndexOf(CountedStates, state) >= 0;

    /// <summary>Appends, in one statement, the delta rows a move from <paramref name="from"/> to <paramref name="to"/>
    /// needs for <paramref name="count"/> jobs at <paramref name="at"/>.</summary>
    public static void RecordTransition(IDbConnection connection, IDbTransaction transaction, JobState? from, JobState to, long count = 1, DateTime? at = null)
    {
        var parameters = new DynamicParameters();
        if (TransitionStatement(parameters, from, to, count, at) is { } sql)
        {
            connection.Execute(sql, parameters, transaction);
        }
    }

    /// <summary>The counter deltas of <paramref name="count"/> jobs moving from one state to another, as one INSERT
    /// whose values go into <paramref name="parameters"/> (named <c>@cn…</c>, <c>@cd…</c>); null when nothing counts.</summary>
    public static string? TransitionStatement(DynamicParameters parameters, JobState? from, JobState to, long count, DateTime? at)
    {
        var deltas = new List<(string Name, long Delta)>(4);
        if (from is { } previous && IsCounted(previous))
        {
            deltas.Add((StateCounter(previous), -count));
        }

        if (IsCounted(to))
        {
            deltas.Add((StateCounter(to), count));
        }

        if (Array.IndexOf(Outcomes, to) >= 0)
        {
            deltas.Add((TotalCounter(to), count));
            if (at is { } when)
            {
                deltas.Add((HourCounter(when, to), count));
            }
        }

        if (deltas.Count == 0)
        {
            return null;
        }

        var values = new List<string>(deltas.Count);
        for (var i = 0; i < deltas.Count; i++)
        {
            parameters.Add("cn" + i, deltas[i].Name);
            parameters.Add("cd" + i, deltas[i].Delta);
            values.Add($"(@cn{i}, @cd{i})");
        }

        return HistorySql.InsertCounterDeltasPrefix + string.Join(", ", values);
    }
}
