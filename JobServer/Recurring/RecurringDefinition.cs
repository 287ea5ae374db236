using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Common;
using JobServer.Hosting;
using JobServer.Jobs;

namespace JobServer.Recurring;

/// <summary>
/// A recurring job as configuration or a request states it: a registered job type with JSON arguments on a cron
/// schedule. <see cref="TryValidate"/> turns it into what Hangfire's <see cref="IRecurringJobManager.AddOrUpdate"/>
/// takes, or into every field at fault, named as the API spells them (<c>cron</c>, <c>timeZone</c>, <c>type</c>,
/// <c>args.rows</c>, <c>queue</c>, <c>misfire</c>).
/// </summary>
public sealed partial record RecurringDefinition(string Id, string? Cron, string? Type, JsonElement Args = default, string? TimeZone = null, string? Queue = null, string? Misfire = null)
{
    /// <summary>Hangfire keeps a definition in the hash <c>recurring-job:{id}</c>, whose key our storage holds in 100
    /// characters.</summary>
    public const int MaxIdLength = 80;

    public static bool IsValidId([NotNullWhen(true)] string? id) => id is { Length: > 0 and <= MaxIdLength } && IdPattern().IsMatch(id);

    /// <summary>The job, the cron text and the options for Hangfire, or false with every error.</summary>
    public bool TryValidate(ITimeZoneResolver resolver, [NotNullWhen(true)] out ValidRecurringDefinition? valid, out IReadOnlyList<ArgumentError> errors)
    {
        var found = new List<ArgumentError>();
        if (!IsValidId(Id)) found.Add(new ArgumentError("id", $"must be 1-{MaxIdLength} letters, digits, '.', '_', ':' or '-'"));
        if (RecurringSchedule.TryParseCron(Cron, out var cronError) is null) found.Add(new ArgumentError("cron", cronError!));
        var zone = RecurringSchedule.TryResolveTimeZone(resolver, TimeZone, out var zoneError);
        if (zone is null) found.Add(new ArgumentError("timeZone", zoneError!));
        var misfire = RecurringSchedule.TryParseMisfire(Misfire, out var misfireError);
        if (misfire is null) found.Add(new ArgumentError("misfire", misfireError!));

        Job? job = null;
        if (string.IsNullOrEmpty(Type) || !JobTypes.TryGet(Type, out var type))
        {
            found.Add(new ArgumentError("type", $"must be one of: {string.Join(", ", JobTypes.All.Select(t => t.Name).Order(StringComparer.Ordinal))}"));
        }
        else
        {
            if (!JobTypes.TryCreateJob(Type, Args, out job, out var argErrors))
            {
                found.AddRange(argErrors.Select(e => e with { Field = e.Field.Length == 0 ? "args" : $"args.{e.Field}" }));
            }

            if (Queue is not null && QueueProblem(type, Queue) is { } queueError) found.Add(new ArgumentError("queue", queueError));
        }

        errors = found;
        if (found.Count > 0 || job is null)
        {
            valid = null;
            return false;
        }

        // Hangfire 1.8 keeps the queue on the job itself (Job.Queue), the storage supporting it.
        if (Queue is not null) job = new Job(job.Type, job.Method, job.Args.ToArray(), Queue);
        valid = new ValidRecurringDefinition(Id, Cron!, job, new RecurringJobOptions { TimeZone = zone!, MisfireHandling = misfire!.Value });
        return true;
    }

    private static string? QueueProblem(JobType type, string queue)
    {
        if (!ServerPoolOptions.IsValidQueueName(queue)) return "must be 1-50 lowercase letters, digits, '_' or '-' (Hangfire's rule)";

        // A [Queue] on the method wins over the job's queue when Hangfire enqueues it; say so rather than ignore the request.
        var fixedQueue = type.Method.GetCustomAttribute<QueueAttribute>()?.Queue;
        return fixedQueue is not null && fixedQueue != queue ? $"jobs of type '{type.Name}' always run on queue '{fixedQueue}'" : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>A definition that passed <see cref="RecurringDefinition.TryValidate"/>: exactly what Hangfire's
/// <see cref="IRecurringJobManager.AddOrUpdate"/> takes.</summary>
public sealed record ValidRecurringDefinition(string Id, string Cron, Job Job, RecurringJobOptions Options);
