using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Text.Json;
using Hangfire.Common;

namespace JobServer.Jobs;

/// <summary>
/// The registry between a request and Hangfire: a registered name (<c>"sleep"</c>, <c>"bulk-insert"</c>, …) maps to one
/// fixed job method and its argument class, and the job is built here from typed, validated arguments. So an HTTP
/// layer never takes a type name, a method or serialized invocation data from a request, and the type resolver can be
/// told exactly which types the database may name (<see cref="AllowedTypes"/>).
/// </summary>
public static class JobTypes
{
    private static readonly Dictionary<string, JobType> ByName = new JobType[]
    {
        Define<SleepJob, SleepArguments>(SleepJob.TypeName, args => x => x.Run(args, CancellationToken.None)),
        Define<FailJob, FailArguments>(FailJob.TypeName, args => x => x.Run(args, CancellationToken.None)),
        Define<CpuJob, CpuArguments>(CpuJob.TypeName, args => x => x.Run(args, null, CancellationToken.None)),
        Define<HttpAggregateJob, HttpAggregateArguments>(HttpAggregateJob.TypeName, args => x => x.Run(args, CancellationToken.None)),
        Define<BulkInsertJob, BulkInsertArguments>(BulkInsertJob.TypeName, args => x => x.Run(args, null, CancellationToken.None)),
        Define<DailyReportJob, ReportArguments>(DailyReportJob.TypeName, args => x => x.Run(args, CancellationToken.None)),
    }.ToDictionary(type => type.Name, StringComparer.Ordinal);

    /// <summary>Every registered type, by name.</summary>
    public static IReadOnlyCollection<JobType> All => ByName.Values;

    /// <summary>The job classes and every parameter type of their methods: what Hangfire's invocation data of these
    /// jobs names. An allow-list type resolver must permit these (and Hangfire's own types, which it stores in state
    /// data, such as the next state of a continuation).</summary>
    public static IReadOnlySet<Type> AllowedTypes { get; } = ByName.Values
        .SelectMany(type => type.Method.GetParameters().Select(p => p.ParameterType).Prepend(type.JobClass))
        .ToHashSet();

    public static bool TryGet(string name, [NotNullWhen(true)] out JobType? type) => ByName.TryGetValue(name, out type);

    /// <summary>The Hangfire job for <paramref name="name"/> with <paramref name="args"/>, or false with the errors:
    /// an unknown name is an error of the field <c>type</c>; argument errors name their field (<c>rows</c>, <c>urls[2]</c>).</summary>
    public static bool TryCreateJob(string name, JsonElement args, [NotNullWhen(true)] out Job? job, out IReadOnlyList<ArgumentError> errors)
    {
        if (!ByName.TryGetValue(name, out var type))
        {
            job = null;
            errors = [new ArgumentError("type", $"must be one of: {string.Join(", ", ByName.Keys.Order(StringComparer.Ordinal))}")];
            return false;
        }

        (job, errors) = type.CreateJob(args);
        return job is not null;
    }

    private static JobType Define<TJob, TArgs>(string name, Func<TArgs, Expression<Func<TJob, Task>>> call)
        where TArgs : class, IJobArguments, new() =>
        Define<TJob, TArgs>(name, args => Job.FromExpression(call(args)));

    private static JobType Define<TJob, TArgs>(string name, Func<TArgs, Expression<Action<TJob>>> call)
        where TArgs : class, IJobArguments, new() =>
        Define<TJob, TArgs>(name, args => Job.FromExpression(call(args)));

    private static JobType Define<TJob, TArgs>(string name, Func<TArgs, Job> create)
        where TArgs : class, IJobArguments, new()
    {
        // The method is read off a job built once, so the registry and the jobs it creates can never disagree.
        var method = create(new TArgs()).Method;
        return new JobType(name, typeof(TArgs), method, json =>
        {
            var args = JobArgumentsJson.Read<TArgs>(json, out var errors);
            return (args is null ? null : create(args), errors);
        });
    }
}
