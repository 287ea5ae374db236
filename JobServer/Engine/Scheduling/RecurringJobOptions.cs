using JobServer.Storage;

namespace JobServer.Engine.Scheduling;

/// <summary>Optional settings of a recurring job.</summary>
public sealed class RecurringJobOptions
{
    /// <summary>IANA time zone the cron fields are read in. Default UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Queue of the jobs it creates. Default: the job type's queue.</summary>
    public string? Queue { get; set; }

    /// <summary>What happens to occurrences missed while no server ran. Default: fire once.</summary>
    public MisfirePolicy Misfire { get; set; } = MisfirePolicy.FireOnce;
}
