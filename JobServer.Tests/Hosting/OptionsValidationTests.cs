using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace JobServer.Tests.Hosting;

/// <summary>Bad settings stop the host at start, naming the key at fault.</summary>
public sealed class OptionsValidationTests
{
    // Validation happens before anything connects: no database is needed.
    private const string Unreachable = "Server=127.0.0.1;Port=1;Database=none;User ID=x;Password=x";

    [Theory]
    [InlineData("JobServer:HeartbeatInterval", "00:00:00", "JobServer:HeartbeatInterval must be positive")]
    [InlineData("JobServer:ServerTimeout", "00:00:01", "JobServer:ServerTimeout (00:00:01) must exceed two heartbeat intervals")]
    [InlineData("JobServer:SchedulePollingInterval", "-00:00:01", "JobServer:SchedulePollingInterval must be positive")]
    [InlineData("JobServer:ShutdownTimeout", "00:00:00", "JobServer:ShutdownTimeout must be positive")]
    [InlineData("JobServer:SucceededRetention", "00:00:00", "JobServer:SucceededRetention must be positive")]
    [InlineData("JobServer:Servers:0:Queues:0", "Default", "JobServer:Servers:0:Queues has 'Default'")]
    [InlineData("JobServer:Servers:1:Workers", "0", "JobServer:Servers:1:Workers must be between 1 and 1000")]
    [InlineData("JobServer:Servers:1:Name", "default", "names a pool twice")]
    [InlineData("JobServer:Storage:QueuePollInterval", "00:00:00", "JobServer:Storage")]
    [InlineData("JobServer:Dashboard:Path", "hangfire/", "JobServer:Dashboard:Path must look like /hangfire")]
    [InlineData("JobServer:Dashboard:Username", "admin", "JobServer:Dashboard needs both Username and Password")]
    [InlineData("JobServer:Api:Password", "secret", "JobServer:Api needs both Username and Password")]
    public void Start_WithABadSetting_FailsNamingIt(string key, string value, string expected)
    {
        using var host = new JobServerFactory(Unreachable, new Dictionary<string, string?>
        {
            ["JobServer:HeartbeatInterval"] = "00:00:01",
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Server);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException aggregate ? aggregate.InnerExceptions.Single() : error);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WhileTheDatabaseIsDown_ServesHttpAndKeepsTrying()
    {
        await using var host = new JobServerFactory(Unreachable);
        using var client = host.CreateClient(new() { AllowAutoRedirect = false });

        using var root = await client.GetAsync("/");

        Assert.Equal(System.Net.HttpStatusCode.Redirect, root.StatusCode);
        Assert.False(host.ReadyAsync().IsCompleted);
    }
}
