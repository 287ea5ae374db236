using System.Reflection;
using System.Text.Json;
using Hangfire.Common;

namespace JobServer.Jobs;

/// <summary>One registered job type: its name in the API, the one method it runs and the argument class of that method.
/// Immutable and thread-safe.</summary>
public sealed class JobType
{
    private readonly Func<JsonElement, (Job? Job, IReadOnlyList<ArgumentError> Errors)> _create;

    internal JobType(string name, Type argumentsType, MethodInfo method, Func<JsonElement, (Job?, IReadOnlyList<ArgumentError>)> create)
    {
        Name = name;
        ArgumentsType = argumentsType;
        Method = method;
        _create = create;
    }

    /// <summary>The registered name, e.g. <c>"bulk-insert"</c>.</summary>
    public string Name { get; }

    /// <summary>The class the job is resolved as from DI.</summary>
    public Type JobClass => Method.DeclaringType!;

    public Type ArgumentsType { get; }

    /// <summary>The method every job of this type invokes; nothing else can be named through the registry.</summary>
    public MethodInfo Method { get; }

    /// <summary>The Hangfire job for these arguments, or null and every invalid field.</summary>
    public (Job? Job, IReadOnlyList<ArgumentError> Errors) CreateJob(JsonElement args) => _create(args);
}
