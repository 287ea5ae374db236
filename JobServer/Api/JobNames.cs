using System.Reflection;
using Hangfire.Common;
using JobServer.Jobs;

namespace JobServer.Api;

/// <summary>A stored job's name in the API: its registered type name (<see cref="JobTypes"/>), found by its method.</summary>
internal static class JobNames
{
    /// <summary>The registered type of <paramref name="job"/>, or null for a job created outside the registry.</summary>
    public static JobType? RegisteredType(Job? job) =>
        job is null ? null : JobTypes.All.FirstOrDefault(type => SameMethod(type.Method, job.Method));

    /// <summary>The registered name; a job from elsewhere (a C# client's own class) reads "Class.Method", and one whose
    /// class cannot be loaded reads as the type name stored with it.</summary>
    public static string Of(Job? job, string? storedType = null) =>
        RegisteredType(job)?.Name
        ?? (job is not null ? $"{job.Type.Name}.{job.Method.Name}" : storedType ?? "unknown");

    private static bool SameMethod(MethodInfo a, MethodInfo b) => a.MetadataToken == b.MetadataToken && a.Module == b.Module;
}
