using System.Runtime.CompilerServices;
using JobServer.Hosting;
using JobServer.Tests.Concurrency;
using JobServer.Tests.ConcurrencyChild;

namespace JobServer.Tests.Infrastructure;

/// <summary>Hangfire's type resolver is process-wide, and a test host installs JobServer's allow-list in it: the test
/// assembly's own job classes join the list before any test runs, as an application's own jobs would.</summary>
internal static class TestJobTypes
{
    [ModuleInitializer]
    internal static void AllowTestJobs()
    {
        AllowedJobTypes.Allow(typeof(ConcurrencyTestJobs));
        AllowedJobTypes.Allow(typeof(KilledServerJobs));
    }
}
