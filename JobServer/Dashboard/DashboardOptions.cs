using System.ComponentModel.DataAnnotations;
using JobServer.Hosting.Security;

namespace JobServer.Dashboard;

/// <summary>
/// The dashboard's settings, bound from <c>JobServer:Dashboard</c>. Who may open it: with
/// <see cref="AccessOptions.Username"/>/<see cref="AccessOptions.Password"/> set, every request needs them (HTTP Basic); with
/// <see cref="AccessOptions.AuthorizationPolicy"/> set, every request must satisfy that policy; with both, both. With neither, only
/// requests from this machine are answered (see <see cref="Hosting.Security.RequestOrigin"/>).
/// </summary>
public sealed class DashboardOptions : AccessOptions
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
}
