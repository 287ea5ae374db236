using System.Net;

namespace JobServer.Tests.Reliability;

/// <summary>One HTTP request as its client saw it: when it went out, when (and what) came back.</summary>
/// <param name="Status">Null when no answer came: a transport error or the client's timeout, see <paramref name="Error"/>.</param>
/// <param name="JobId">The id of a 202 Accepted answer.</param>
internal sealed record Answer(DateTime SentAt, DateTime AnsweredAt, HttpStatusCode? Status, string? JobId, bool HasRetryAfter, string? Error)
{
    public TimeSpan Took => AnsweredAt - SentAt;

    public bool Accepted => Status == HttpStatusCode.Accepted;
}
