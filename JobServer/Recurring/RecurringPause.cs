using Hangfire;

namespace JobServer.Recurring;

/// <summary>
/// How a recurring job is paused, Hangfire 1.8 having no pause of its own: its cron becomes <see cref="Cron.Never"/>
/// (Hangfire's scheduler then computes no next execution and never fires it; a manual trigger still works), and the
/// cron it had is kept in one extra field of its hash, <see cref="PausedCronField"/>, which Hangfire's code leaves
/// alone (it writes only the fields it knows and removes the whole hash on delete). Resuming sets the cron back.
/// </summary>
/// <remarks>Paused means both: the cron is <see cref="Cron.Never"/> and the field holds a cron. Each of the two
/// writes a pause or resume makes keeps that rule true on its own, so a process that dies between them leaves the job
/// either running on its schedule or paused, never in between.</remarks>
public static class RecurringPause
{
    public const string PausedCronField = "JobServer.PausedCron";

    public static bool IsPaused(IReadOnlyDictionary<string, string> hash) =>
        hash.TryGetValue("Cron", out var cron) && string.Equals(cron, Cron.Never(), StringComparison.OrdinalIgnoreCase)
        && hash.TryGetValue(PausedCronField, out var paused) && !string.IsNullOrWhiteSpace(paused);
}
