using JobServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.SoakChild;

/// <summary>
/// Usage: (no arguments) the JobServer host with the soak's job class allowed, configured from the environment as
/// JobServer itself is; or <c>hold-lock &lt;resource&gt;...</c>: take Hangfire distributed locks and wait to be killed.
/// A named class, not top-level statements: the tests also see JobServer's own <c>Program</c>.
/// </summary>
public static class SoakProgram
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == LockHolder.Command)
        {
            LockHolder.Run(args[1..]);
            return;
        }

        AllowedJobTypes.Allow(typeof(SoakJobs));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddJobServer(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.MapJobServer();
        app.Run();
    }
}
