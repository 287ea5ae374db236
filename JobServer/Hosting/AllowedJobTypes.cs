using System.Collections.Concurrent;
using System.Reflection;
using Hangfire.States;
using JobServer.Concurrency;
using JobServer.Jobs;

namespace JobServer.Hosting;

/// <summary>
/// Hangfire's type resolver for this application: a stored job, argument type or state may name only a type on this
/// list. Hangfire stores the CLR type and method of every job, so without a list a row written into the database
/// (or a forged recurring job) could name any public static method on the machine — <c>System.Diagnostics.Process</c>
/// included — and a worker would call it. With the list, such a job fails to load and ends Failed, naming the type.
/// </summary>
/// <remarks>
/// On the list: the shipped job classes and their methods' parameter types (<see cref="JobTypes.AllowedTypes"/>), the
/// states Hangfire and JobServer store with type names (the next state of an awaiting job), and whatever
/// <see cref="Allow"/> adds. Names are compared as Hangfire writes them — full name and assembly name, the version
/// ignored, <c>mscorlib</c> or no assembly at all standing for the runtime's core library — and generic or array names are refused outright
/// (no job here takes one). Hangfire's resolver is process-wide, and so is this list. Thread-safe.
/// </remarks>
public static class AllowedJobTypes
{
    private static readonly string CoreLibrary = typeof(object).Assembly.GetName().Name!;

    private static readonly ConcurrentDictionary<(string FullName, string Assembly), Type> Allowed = new();

    static AllowedJobTypes()
    {
        foreach (var type in JobTypes.AllowedTypes) Add(type);
        var stateTypes = typeof(IState).Assembly.GetTypes()
            .Where(type => typeof(IState).IsAssignableFrom(type) && type is { IsAbstract: false, IsPublic: true })
            .Append(typeof(ConcurrencyWaitingState));
        foreach (var type in stateTypes) Add(type);
    }

    /// <summary>Allows <paramref name="jobClass"/> and the parameter types of its public methods: call it for every
    /// class of your own that you enqueue with Hangfire's client in this application.</summary>
    public static void Allow(Type jobClass)
    {
        ArgumentNullException.ThrowIfNull(jobClass);
        Add(jobClass);
        var methods = jobClass.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
        foreach (var parameter in methods.SelectMany(method => method.GetParameters()))
        {
            Add(parameter.ParameterType);
        }
    }

    /// <summary>Whether a stored type name is on the list.</summary>
    public static bool IsAllowed(string typeName) => TryResolve(typeName, out _);

    /// <summary>The resolver given to <c>UseTypeResolver</c>: the type, or a <see cref="TypeLoadException"/> naming why not
    /// (Hangfire turns it into a job load error, so the job fails instead of running).</summary>
    public static Type Resolve(string typeName) =>
        TryResolve(typeName, out var type)
            ? type
            : throw new TypeLoadException($"'{typeName}' is not one of JobServer's job, argument or state types, so it is never loaded (see AllowedJobTypes).");

    private static bool TryResolve(string typeName, out Type type)
    {
        type = null!;
        if (string.IsNullOrWhiteSpace(typeName) || typeName.IndexOfAny(['[', ']', '*', '&']) >= 0) return false;
        // Hangfire's simple serializer leaves the assembly out for the core library's types ("System.String").
        var parts = typeName.Split(',', StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0 || (parts.Length > 1 && parts[1].Length == 0)) return false;
        var assembly = parts.Length == 1 || parts[1] == "mscorlib" ? CoreLibrary : parts[1];
        return Allowed.TryGetValue((parts[0], assembly), out type!);
    }

    private static void Add(Type type)
    {
        // Only plain types: an array or a generic would need its element types checked too, and nothing here takes one.
        if (type.IsArray || type.IsGenericType || type.IsByRef || type.IsPointer || type.FullName is null) return;
        Allowed.TryAdd((type.FullName, type.Assembly.GetName().Name!), type);
    }
}
