using System.Globalization;
using System.Text.Json;
using Hangfire;

namespace JobServer.Jobs;

/// <summary>
/// How far a running job is, kept as the Hangfire job parameter <see cref="ParameterName"/>
/// (<c>{"done":…,"total":…}</c>), so the API and the dashboard read it through the storage like any other job data,
/// without a table of their own. Written after each unit of work (a chunk, a segment batch), never per row.
/// </summary>
public sealed record JobProgress(long Done, long Total)
{
    public const string ParameterName = "progress";

    /// <summary>The last progress <paramref name="jobId"/> reported, or null when it reported none (or the id names no job).</summary>
    public static JobProgress? Read(JobStorage storage, string jobId)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var connection = storage.GetConnection();
        return Parse(connection.GetJobParameter(jobId, ParameterName));
    }

    /// <summary>The progress a stored parameter value holds, or null when it is missing or not progress.</summary>
    public static JobProgress? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            return new JobProgress(root.GetProperty("done").GetInt64(), root.GetProperty("total").GetInt64());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Done as a whole percentage of total, 0–100.</summary>
    public int Percent => Total <= 0 ? 0 : (int)Math.Clamp(Done * 100 / Total, 0, 100);

    /// <summary>One write through the storage; a fresh connection each time, because the caller may be on any thread.</summary>
    internal static void Write(JobStorage storage, string jobId, long done, long total)
    {
        using var connection = storage.GetConnection();
        connection.SetJobParameter(jobId, ParameterName, string.Create(CultureInfo.InvariantCulture, $"{{\"done\":{done},\"total\":{total}}}"));
    }
}
