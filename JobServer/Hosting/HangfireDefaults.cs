using Hangfire;
using Hangfire.Common;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace JobServer.Hosting;

/// <summary>JobServer's process-wide Hangfire settings: data format, serializer and type resolver. Hangfire keeps these
/// in static state, so every host in a process shares them; they are applied by <c>AddJobServer</c>.</summary>
public static class HangfireDefaults
{
    public static IGlobalConfiguration UseJobServerDefaults(this IGlobalConfiguration configuration) => configuration
        .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
        .UseSimpleAssemblyNameTypeSerializer()
        .UseRecommendedSerializerSettings(UserDataSettings)
        .UseTypeResolver(AllowedJobTypes.Resolve)
        .UseRetriesExceptForUnloadableJobs();

    /// <summary>
    /// Hangfire's global retry filter (10 attempts with growing delays), except for a job that cannot be loaded (failed
    /// by <see cref="UnloadableJobFilter"/>) — a type
    /// or method that is missing or not on <see cref="AllowedJobTypes"/>: retrying cannot help until other code is
    /// deployed, so it fails at once, naming the reason, and can be requeued then. (Such a job has no method, so only
    /// global filters apply to it; a job's own <c>[AutomaticRetry]</c> never sees it.)
    /// </summary>
    private static IGlobalConfiguration UseRetriesExceptForUnloadableJobs(this IGlobalConfiguration configuration)
    {
        lock (GlobalJobFilters.Filters)
        {
            foreach (var retry in GlobalJobFilters.Filters.Select(filter => filter.Instance).OfType<AutomaticRetryAttribute>().ToList())
            {
                GlobalJobFilters.Filters.Remove(retry);
            }

            GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute { ExceptOn = [typeof(JobLoadException)] });
            foreach (var unloadable in GlobalJobFilters.Filters.Select(filter => filter.Instance).OfType<UnloadableJobFilter>().ToList())
            {
                GlobalJobFilters.Filters.Remove(unloadable);
            }

            GlobalJobFilters.Filters.Add(new UnloadableJobFilter());
        }

        return configuration;
    }

    /// <summary>
    /// Hangfire's recommended settings for job arguments, parameters and results, with three deliberate changes: no
    /// type names (the jobs take concrete argument classes, so a <c>$type</c> in user data is never needed, and it would
    /// be one more place where the database names a CLR type); every value written, defaults included (a result reads
    /// <c>"failed": 0</c>, not nothing); camelCase, so the dashboard shows arguments and results as the API takes and
    /// returns them.
    /// </summary>
    internal static void UserDataSettings(JsonSerializerSettings settings)
    {
        settings.TypeNameHandling = TypeNameHandling.None;
        settings.DefaultValueHandling = DefaultValueHandling.Include;
        // Property names only: dictionary keys (a project name, a URL) are data and stay as they are.
        settings.ContractResolver = new DefaultContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false, OverrideSpecifiedNames = false } };
    }
}
