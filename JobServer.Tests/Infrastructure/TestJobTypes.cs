using Hangfire;
using System.Runtime.CompilerServices;
using JobServer.Hosting;
using JobServer.Tests.Concurrency;
using JobServer.Tests.ConcurrencyChild;
using JobServer.Tests.SoakChild;

namespace JobServer.Tests.Infrastructure;

/// <summary>Hangfire's serializer and type resolver are process-wide, and every test host installs JobServer's: so the
/// whole test process runs with them from the start (tests without a host see what production does), and the test
/// assembly's own job classes join the allow-list, as an application's own jobs would.</summary>
internal static class TestJobTypes
{
    [ModuleInitializer]
    internal static void AllowTestJobs()
    {
        GlobalConfiguration.Configuration.UseJobServerDefaults();
        AllowedJobTypes.Allow(typeof(ConcurrencyTestJobs));
        AllowedJobTypes.Allow(typeof(KilledServerJobs));
        AllowedJobTypes.Allow(typeof(SoakJobs));
        AllowedJobTypes.Allow(typeof(HangfireDashboard.JobProgressDashboardTests));
    }
}
