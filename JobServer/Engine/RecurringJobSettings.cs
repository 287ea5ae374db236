using JobServer.Storage;

namespace JobServer.Engine;

/// <summary>A recurring job as configuration defines it (<c>JobServer:Recurring:{id}</c>).</summary>
public sealed class RecurringJobSettings
{
    public string Cron { get; set; } = "";

    public string Type { get; set; } = "";

    public string? TimeZone { get; set; }

    public string? Queue { get; set; }

    public MisfirePolicy Misfire { get; set; } = MisfirePolicy.FireOnce;
}
