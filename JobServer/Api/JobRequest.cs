using System.Text.Json;
using Hangfire;

namespace JobServer.Api;

/// <summary>A job to create, as read from a request: the registered type, its arguments (still JSON, checked by the
/// job type), and when it runs — now, at <see cref="RunAt"/>, or after the job <see cref="After"/>.</summary>
internal sealed record JobRequest(
    string Type,
    JsonElement Args,
    string? Queue,
    DateTimeOffset? RunAt,
    long? After,
    JobContinuationOptions ContinueOn);
