using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobServer.Api;

// The API's answers. Ids are Hangfire job ids, numeric on JobServer's storage, so they travel as JSON numbers; states
// are Hangfire's state names (Enqueued, Scheduled, Awaiting, Processing, Succeeded, Failed, Deleted).

public sealed record JobCreatedResponse(long Id, string State);

public sealed record JobStateResponse(long Id, string State);

public sealed record ProgressResponse(long Done, long Total);

public sealed record ExceptionResponse(string? Type, string? Message, string? Details);

public sealed record HistoryResponse(
    string State,
    DateTime At,
    string? Server,
    string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExceptionResponse? Exception);

public sealed record JobSummaryResponse(
    long Id,
    string Type,
    string Queue,
    string State,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    ProgressResponse? Progress);

public sealed record JobLinkResponse(long Id, string Type, string State);

public sealed record JobResponse(
    long Id,
    string Type,
    JsonElement Args,
    string Queue,
    string State,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    ProgressResponse? Progress,
    JsonElement? Result,
    IReadOnlyList<HistoryResponse> History,
    long? ParentId,
    IReadOnlyList<JobLinkResponse> Continuations)
{
    public JobSummaryResponse ToSummary() => new(Id, Type, Queue, State, Attempts, CreatedAt, StartedAt, FinishedAt, Progress);
}

public sealed record JobListResponse(IReadOnlyList<JobSummaryResponse> Items, long Total, int Page, int PageSize);

public sealed record JobBatchCreatedResponse(IReadOnlyList<long> Ids, IReadOnlyList<string> States);

public sealed record ServerResponse(
    string Id,
    string? Name,
    IReadOnlyList<string> Queues,
    int Workers,
    int? Busy,
    DateTime StartedAt,
    DateTime? HeartbeatAt,
    bool Alive);

public sealed record QueueStatsResponse(long Enqueued, long Processing);

public sealed record StatsResponse(IReadOnlyDictionary<string, long> States, IReadOnlyDictionary<string, QueueStatsResponse> Queues);

public sealed record HealthResponse(string Status, string Database);

public sealed record BulkInsertCountResponse(string? Project, long Rows);
