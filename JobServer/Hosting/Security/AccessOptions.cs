using System.ComponentModel.DataAnnotations;

namespace JobServer.Hosting.Security;

/// <summary>
/// Who may use a part of the server (the dashboard, the API's changing requests): HTTP Basic credentials when
/// <see cref="Username"/> and <see cref="Password"/> are set, an authorization policy when
/// <see cref="AuthorizationPolicy"/> is set, both when both are; with neither, only requests from this machine.
/// </summary>
public abstract class AccessOptions
{
    /// <summary>With <see cref="Password"/>: HTTP Basic credentials every guarded request must carry, from any address.
    /// Sent in clear text unless the server is behind HTTPS. Default none.</summary>
    [MaxLength(100)]
    [RegularExpression(@"^[^:]+\z", ErrorMessage = "Username must not contain ':'.")]
    public string? Username { get; set; }

    /// <summary>See <see cref="Username"/>. Default none.</summary>
    [MaxLength(200)]
    public string? Password { get; set; }

    /// <summary>The name of an ASP.NET Core authorization policy the application defines (with
    /// <c>AddAuthorization</c>); every guarded request must satisfy it, from any address. Default none.</summary>
    [MaxLength(200)]
    public string? AuthorizationPolicy { get; set; }

    internal bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    internal bool HasPolicy => !string.IsNullOrWhiteSpace(AuthorizationPolicy);

    /// <summary>Only the loopback rule applies when nothing else was configured.</summary>
    internal bool LocalOnly => !HasCredentials && !HasPolicy;

    /// <summary>The configured credentials, ready to check, or null.</summary>
    internal BasicCredentials? CreateCredentials() => HasCredentials ? new BasicCredentials(Username!, Password!) : null;
}
