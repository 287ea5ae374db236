using System.ComponentModel.DataAnnotations;
using JobServer.Hosting.Security;

namespace JobServer.Dashboard;

/// <summary>
/// Hangfire's dashboard as JobServer serves it, bound from <c>JobServer:Dashboard</c>. Who may open it: with
/// <see cref="AccessOptions.Username"/>/<see cref="AccessOptions.Password"/> set, every request needs them (HTTP Basic);
/// with <see cref="AccessOptions.AuthorizationPolicy"/> set, every request must satisfy that policy; with both, both.
/// With neither, only requests from this machine (Hangfire's own default, see <see cref="Hosting.Security.RequestOrigin"/>).
/// </summary>
public sealed class JobServerDashboardOptions : AccessOptions
{
    public const string SectionName = "JobServer:Dashboard";

    /// <summary>False: the dashboard is not mapped at all (its URLs answer 404). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the dashboard is served: starts with '/', no trailing '/'. Default "/hangfire" (Hangfire's).</summary>
    [Required]
    [RegularExpression(@"^(/[A-Za-z0-9._~-]+)+\z", ErrorMessage = "JobServer:Dashboard:Path must look like /hangfire: segments of letters, digits, '.', '_', '~' or '-', no trailing '/'.")]
    public string Path { get; set; } = "/hangfire";

    /// <summary>The title on every page. Default "JobServer".</summary>
    [Required]
    [MaxLength(100)]
    public string Title { get; set; } = "JobServer";

    /// <summary>True: Hangfire hides every button and refuses every command; the Bulk inserts form is hidden too. Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>How often the pages poll the counters, in milliseconds. Default 2000 (Hangfire's).</summary>
    [Range(500, 600_000)]
    public int StatsPollingInterval { get; set; } = 2000;
}
