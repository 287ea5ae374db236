using System.ComponentModel.DataAnnotations;

namespace JobServer.Api;

/// <summary>
/// Who may change jobs through the HTTP API, bound from <c>JobServer:Api</c>. Reads (GET) are open; requests that
/// create, requeue, delete or steer jobs need: HTTP Basic <see cref="Username"/>/<see cref="Password"/> when set, the
/// <see cref="AuthorizationPolicy"/> when set, and otherwise must come from this machine (403 from anywhere else).
/// </summary>
public sealed class ApiAccessOptions
{
    public const string SectionName = "JobServer:Api";

    /// <summary>With <see cref="Password"/>: Basic credentials every changing request must carry, from any address.
    /// Default none.</summary>
    [MaxLength(100)]
    [RegularExpression(@"^[^:]+\z", ErrorMessage = "JobServer:Api:Username must not contain ':'.")]
    public string? Username { get; set; }

    /// <summary>See <see cref="Username"/>. Default none.</summary>
    [MaxLength(200)]
    public string? Password { get; set; }

    /// <summary>An ASP.NET Core authorization policy every changing request must satisfy. Default none.</summary>
    [MaxLength(200)]
    public string? AuthorizationPolicy { get; set; }

    internal bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    internal bool HasPolicy => !string.IsNullOrWhiteSpace(AuthorizationPolicy);
}
