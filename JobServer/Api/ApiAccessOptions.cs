using JobServer.Hosting.Security;

namespace JobServer.Api;

/// <summary>
/// Who may change jobs through the HTTP API, bound from <c>JobServer:Api</c>. Reads (GET) are open; requests that
/// create, requeue, delete or steer jobs follow <see cref="AccessOptions"/>: credentials, a policy, or — with
/// neither — requests from this machine only (403 from anywhere else).
/// </summary>
public sealed class ApiAccessOptions : AccessOptions
{
    public const string SectionName = "JobServer:Api";
}
