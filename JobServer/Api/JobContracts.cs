using System.Text.Json;
using System.Text.Json.Serialization;
using JobServer.Engine.States;
using JobServer.Storage;

namespace JobServer.Api;

public sealed record JobCreatedResponse(long Id, JobState State);

public sealed record JobStateResponse(long Id, JobState State);

public sealed record ProgressResponse(long Done, long Total);

public sealed record ExceptionResponse(string? Type, string? Message, string? Details);

public sealed record HistoryResponse(
    JobState State,
    DateTime At,
    string? Server,
    string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExceptionResponse? Exception);

public sealed record JobSummaryResponse(
    long Id,
    string Type,
    string Queue,
    JobState State,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    ProgressResponse? Progress);

public sealed record JobResponse(
    long Id,
    string Type,
    JsonElement Args,
    string Queue,
    JobState State,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    ProgressResponse? Progress,
    JsonElement? Result,
    IReadOnlyList<HistoryResponse> History,
    long? ParentId,
    IReadOnlyList<JobLinkResponse> Continuations);

public sealed record JobLinkResponse(long Id, string Type, JobState State);

public sealed record JobListResponse(IReadOnlyList<JobSummaryResponse> Items, long Total, int Page, int PageSize);

public sealed record ServerResponse(string Id, IReadOnlyList<string> Queues, int Workers, int Busy, DateTime StartedAt, DateTime HeartbeatAt, bool Alive);

public sealed record QueueStatsResponse(long Enqueued, long Processing, long Scheduled, long Awaiting);

public sealed record StatsResponse(IReadOnlyDictionary<JobState, long> States, IReadOnlyDictionary<string, QueueStatsResponse> Queues);

public sealed record HealthResponse(string Status, string Database);

internal static class JobContractMapping
{
    public static JobSummaryResponse ToResponse(this JobSummary job) =>
        new(job.Id, job.Type, job.Queue, job.State, job.Attempts, job.CreatedAt, job.StartedAt, job.FinishedAt, job.Progress?.ToResponse());

    public static JobResponse ToResponse(this JobDetails job)
    {
        var s = job.Summary;
        return new JobResponse(
            s.Id,
            s.Type,
            StoredJson.ToElement(job.ArgsJson),
            s.Queue,
            s.State,
            s.Attempts,
            s.CreatedAt,
            s.StartedAt,
            s.FinishedAt,
            s.Progress?.ToResponse(),
            job.ResultJson is null ? null : StoredJson.ToElement(job.ResultJson),
            job.History.Select(h => new HistoryResponse(
                h.State,
                h.At,
                h.ServerId,
                h.Reason,
                h.ExceptionType is null ? null : new ExceptionResponse(h.ExceptionType, h.ExceptionMessage, h.ExceptionDetails))).ToList(),
            job.ParentId,
            (job.Continuations ?? []).Select(c => new JobLinkResponse(c.Id, c.Type, c.State)).ToList());
    }

    private static ProgressResponse ToResponse(this JobProgress progress) => new(progress.Done, progress.Total);
}
