using Hangfire.Common;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using JobServer.Storage.MySql.Entities;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>A job's invocation data as loaded for display: the job, or why it could not be loaded.</summary>
internal readonly record struct LoadedJob(Job? Job, InvocationData InvocationData, JobLoadException? LoadException);

/// <summary>Turns stored job and state columns into what the monitoring DTOs carry.</summary>
internal static class JobPayload
{
    /// <summary>The payload is stored without its arguments; they live in their own column.</summary>
    public static LoadedJob Load(string invocationData, string? arguments)
    {
        InvocationData data;
        try
        {
            data = InvocationData.DeserializePayload(invocationData);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A damaged row must not take the whole page down with it: it is listed like a job whose type is gone.
            return new LoadedJob(null, new InvocationData(null, null, null, arguments),
                new JobLoadException("The job's stored invocation data could not be read.", ex));
        }
        if (!string.IsNullOrEmpty(arguments)) data.Arguments = arguments;
        try
        {
            return new LoadedJob(data.DeserializeJob(), data, null);
        }
        catch (JobLoadException ex)
        {
            // A job whose type is gone still belongs on the page: the dashboard shows the load error instead.
            return new LoadedJob(null, data, ex);
        }
    }

    public static Dictionary<string, string> StateData(string? json)
    {
        var data = json is null ? null : SerializationHelper.Deserialize<Dictionary<string, string>>(json);
        return new Dictionary<string, string>(data ?? [], StringComparer.OrdinalIgnoreCase);
    }

    public static string? Value(this IDictionary<string, string> data, string key) =>
        data.TryGetValue(key, out var value) ? value : null;

    /// <summary>
    /// Builds the list in row order. A row without a job (expired meanwhile) becomes a null DTO, which the dashboard
    /// renders as a vanished job.
    /// </summary>
    public static JobList<TDto> ToJobList<TDto>(IEnumerable<MonitoredJobRow> rows,
        Func<MonitoredJobRow, LoadedJob, Dictionary<string, string>, TDto> create) where TDto : class =>
        new(rows.Select(row => new KeyValuePair<string, TDto>(
            JobIds.Format(row.Id),
            row.InvocationData is null ? null! : create(row, Load(row.InvocationData, row.Arguments), StateData(row.StateData)))));
}
