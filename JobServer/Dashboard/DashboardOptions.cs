using System.ComponentModel.DataAnnotations;
using JobServer.Hosting.Security;

namespace JobServer.Dashboard;

/// <summary>
/// The dashboard's settings, bound from <c>JobServer:Dashboard</c>. Who may open it: with
/// <see cref="Username"/>/<see cref="Password"/> set, every request needs them (HTTP Basic); with
/// <see cref="AuthorizationPolicy"/> set, every request must satisfy that policy; with both, both. With neither, only
/// requests from this machine are answered (see <see cref="Hosting.Security.RequestOrigin"/>).
/// </summary>
public sealed class DashboardOptions
{
    public const string SectionName = "JobServer:Dashboard";

    /// <summary>False: the dashboard is not mapped at all (its URLs answer 404). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the dashboard is served: starts with '/', no trailing '/'. Default "/dashboard".</summary>
    [Required]
    [RegularExpression(@"^(/[A-Za-z0-9._~-]+)+\z", ErrorMessage = "JobServer:Dashboard:Path must look like /dashboard: segments of letters, digits, '.', '_', '~' or '-', no trailing '/'.")]
    public string Path { get; set; } = "/dashboard";

    /// <summary>True: pages show no buttons and every POST answers 403. Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>With <see cref="Password"/>: HTTP Basic credentials every request must carry, from any address.
    /// Sent in clear text unless the server is behind HTTPS. Default none.</summary>
    [MaxLength(100)]
    [RegularExpression(@"^[^:]+\z", ErrorMessage = "JobServer:Dashboard:Username must not contain ':'.")]
    public string? Username { get; set; }

    /// <summary>See <see cref="Username"/>. Default none.</summary>
    [MaxLength(200)]
    public string? Password { get; set; }

    /// <summary>The name of an ASP.NET Core authorization policy the application defines (with
    /// <c>AddAuthorization</c>); every dashboard request must satisfy it, from any address. Default none.</summary>
    [MaxLength(200)]
    public string? AuthorizationPolicy { get; set; }

    internal bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    internal bool HasPolicy => !string.IsNullOrWhiteSpace(AuthorizationPolicy);

    /// <summary>Only the loopback rule applies when nothing else was configured.</summary>
    internal bool LocalOnly => !HasCredentials && !HasPolicy;
}
