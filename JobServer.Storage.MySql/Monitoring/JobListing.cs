namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// Which jobs <see cref="IJobListing.ListJobIds"/> returns. Every filter is optional; together they narrow.
/// </summary>
/// <param name="StateName">The current state (Hangfire's name, e.g. "Succeeded"); null for every state.</param>
/// <param name="Queue">The queue stored with the job (Hangfire's <c>Job.Queue</c>); a job stored without one counts as
/// "default". Null for every queue.</param>
/// <param name="TypeName">The job's class as Hangfire's type serializer writes it into the invocation data.</param>
/// <param name="MethodName">The job's method name; applies together with <paramref name="TypeName"/>.</param>
public sealed record JobListFilter(string? StateName = null, string? Queue = null, string? TypeName = null, string? MethodName = null);

/// <summary>One page of job ids, newest first, and how many jobs match in all.</summary>
public sealed record JobIdPage(IReadOnlyList<long> Ids, long Total);

/// <summary>
/// What Hangfire's monitoring API lacks for an HTTP API: every job newest first, across states, with optional filters.
/// <see cref="MySqlStorage.GetMonitoringApi"/> returns an implementation.
/// </summary>
public interface IJobListing
{
    JobIdPage ListJobIds(JobListFilter filter, int from, int count);
}
