using System.Text.Json;
using Hangfire;
using JobServer.Jobs;

namespace JobServer.Recurring;

/// <summary>Defining a recurring job of a registered type (<see cref="JobTypes"/>) by name and JSON arguments, as the
/// configuration and the API do, for code that has the name rather than the method: a plugin, a script, a migration.
/// With the method at hand, Hangfire's own <c>AddOrUpdate&lt;DailyReportJob&gt;(id, x =&gt; x.Run(…), cron)</c> is
/// simpler and equivalent.</summary>
public static class RegisteredRecurringJobExtensions
{
    /// <summary>Hangfire's <see cref="IRecurringJobManager.AddOrUpdate"/> for the registered type
    /// <paramref name="typeName"/>. Throws <see cref="InvalidJobArgumentsException"/> naming every field at fault
    /// (<c>type</c>, <c>cron</c>, <c>args.rows</c>) before anything is written.</summary>
    public static void AddOrUpdateRegistered(this IRecurringJobManager manager, string recurringJobId, string typeName, JsonElement args, string cron, RecurringJobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(recurringJobId);
        var errors = new List<ArgumentError>();
        if (RecurringSchedule.TryParseCron(cron, out var cronError) is null) errors.Add(new ArgumentError("cron", cronError!));
        var known = JobTypes.TryGet(typeName, out _);
        if (!JobTypes.TryCreateJob(typeName, args, out var job, out var jobErrors))
        {
            // An unknown name is the registry's error of "type"; anything else is about the arguments.
            errors.AddRange(known ? jobErrors.Select(e => e with { Field = e.Field.Length == 0 ? "args" : $"args.{e.Field}" }) : jobErrors);
        }

        if (errors.Count > 0) throw new InvalidJobArgumentsException(errors);
        manager.AddOrUpdate(recurringJobId, job!, cron, options ?? new RecurringJobOptions());
    }
}
