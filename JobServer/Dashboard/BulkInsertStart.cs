using Hangfire;
using Hangfire.States;
using JobServer.Concurrency;
using JobServer.Jobs;

namespace JobServer.Dashboard;

/// <summary>What became of a submitted form: the job started, the fields at fault, or the job holding the project.</summary>
internal sealed record BulkInsertStart(string? JobId, IReadOnlyList<ArgumentError> Errors, ConcurrencyLimitReachedException? Conflict)
{
    /// <summary>Builds the job through the job-type registry (the same validation as the API) and enqueues it; a
    /// project that already has a bulk insert in flight is refused by its concurrency limit before anything is written.</summary>
    public static BulkInsertStart Try(BulkInsertForm form, IBackgroundJobClient client)
    {
        if (!JobTypes.TryCreateJob(BulkInsertJob.TypeName, form.ToArguments(), out var job, out var errors))
        {
            return new BulkInsertStart(null, errors, null);
        }

        try
        {
            return new BulkInsertStart(client.Create(job, new EnqueuedState()), [], null);
        }
        catch (BackgroundJobClientException ex) when (ConcurrencyLimitReachedException.FindIn(ex) is { } conflict)
        {
            return new BulkInsertStart(null, [], conflict);
        }
    }

    /// <summary>The errors of one form field ("rows", "project", "chunkSize"); errors naming no field go with none.</summary>
    public IEnumerable<string> ErrorsOf(string field) =>
        Errors.Where(e => string.Equals(e.Field, field, StringComparison.Ordinal)).Select(e => e.Message);

    /// <summary>Errors that name no field of the form.</summary>
    public IEnumerable<ArgumentError> OtherErrors =>
        Errors.Where(e => e.Field is not ("rows" or "project" or "chunkSize"));
}
