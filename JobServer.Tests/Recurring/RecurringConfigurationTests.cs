using System.Net;
using Hangfire;
using Hangfire.States;
using JobServer.Tests.Infrastructure;
using JobServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JobServer.Tests.Recurring;

/// <summary>Recurring jobs from <c>JobServer:Recurring</c>: written at start, run by Hangfire's scheduler, refused at
/// start with the key at fault named, left alone once removed from configuration.</summary>
public sealed class RecurringConfigurationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static Dictionary<string, string?> Definition(string id, string cron, string type, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"JobServer:Recurring:{id}:Cron"] = cron,
            [$"JobServer:Recurring:{id}:Type"] = type,
        };
        foreach (var (key, value) in more) settings[$"JobServer:Recurring:{id}:{key}"] = value;
        return settings;
    }

    [Fact]
    public async Task ConfiguredDefinition_AppearsAfterStart_AndRuns()
    {
        var id = RecurringTestKit.NewId("cfg");
        await using var host = new JobServerFactory(database.ConnectionString,
            Definition(id, "* * * * * *", "sleep", ("Args:ms", "1"), ("TimeZone", "Europe/Berlin"), ("MisfireHandling", "Ignorable")));
        using var client = await host.CreateReadyClientAsync();

        var view = await client.GetRecurringAsync(id);
        Assert.Equal("* * * * * *", view.GetProperty("cron").GetString());
        Assert.Equal("sleep", view.GetProperty("type").GetString());
        Assert.Equal(1, view.GetProperty("args").GetProperty("ms").GetInt32());
        Assert.Equal("Europe/Berlin", view.GetProperty("timeZone").GetString());
        Assert.Equal("ignorable", view.GetProperty("misfire").GetString());
        Assert.False(view.GetProperty("paused").GetBoolean());

        var ran = await Eventually.UntilAsync(() => client.GetRecurringAsync(id), v => v.GetProperty("lastJobState").GetString() == SucceededState.StateName,
            TimeSpan.FromSeconds(30), $"an occurrence of {id} to succeed");
        Assert.NotNull(RecurringTestKit.LastJobId(ran));
    }

    [Theory]
    [InlineData("Cron", "61 * * * *", "Cron")]
    [InlineData("Cron", "* * *", "Cron")]
    [InlineData("TimeZone", "Mars/Olympus", "TimeZone")]
    [InlineData("Type", "no-such-job", "Type")]
    [InlineData("Args:ms", "-1", "Args:ms")]
    [InlineData("Args:speed", "2", "Args:speed")]
    [InlineData("Queue", "Bad Queue", "Queue")]
    [InlineData("MisfireHandling", "sometimes", "MisfireHandling")]
    [InlineData("Crom", "* * * * *", "Crom")]
    public async Task BadDefinition_StopsTheStart_NamingTheKey(string key, string value, string namedKey)
    {
        var settings = Definition("daily-report", "0 6 * * *", "sleep");
        settings[$"JobServer:Recurring:daily-report:{key}"] = value;
        settings["ConnectionStrings:JobServer"] = database.ConnectionString;
        // The host as Program builds it, started directly: WebApplicationFactory may report a failed start of the
        // entry point as its own disposed host rather than with the start's exception.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddJobServer(builder.Configuration);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith($"JobServer:Recurring:daily-report:{namedKey} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DefinitionRemovedFromConfiguration_IsLeftAlone()
    {
        var id = RecurringTestKit.NewId("gone");
        await using (var first = new JobServerFactory(database.ConnectionString, Definition(id, "0 6 * * *", "report", ("TimeZone", "Europe/Berlin"))))
        {
            await first.ReadyAsync();
        }

        await using var second = new JobServerFactory(database.ConnectionString);
        using var client = await second.CreateReadyClientAsync();

        var view = await client.GetRecurringAsync(id);
        Assert.Equal("0 6 * * *", view.GetProperty("cron").GetString());
        Assert.Equal("report", view.GetProperty("type").GetString());
    }

    [Fact]
    public async Task PausedJob_StaysPaused_WhenAServerStartsWithItsDefinition()
    {
        var id = RecurringTestKit.NewId("keep");
        var settings = Definition(id, "0 6 * * *", "report");
        await using (var first = new JobServerFactory(database.ConnectionString, settings))
        {
            using var client = await first.CreateReadyClientAsync();
            await client.PostRecurringAsync(id, "pause");
        }

        settings[$"JobServer:Recurring:{id}:Cron"] = "0 7 * * *";
        await using var second = new JobServerFactory(database.ConnectionString, settings);
        using var again = await second.CreateReadyClientAsync();

        var paused = await again.GetRecurringAsync(id);
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("0 7 * * *", paused.GetProperty("cron").GetString());
        var resumed = await again.PostRecurringAsync(id, "resume");
        Assert.Equal("0 7 * * *", resumed.GetProperty("cron").GetString());
        Assert.Equal(5, resumed.GetProperty("nextOccurrences").GetArrayLength());
    }

    [Fact]
    public void DevelopmentSettings_DefineTheDailyReport_At6InBerlin()
    {
        var development = new ConfigurationBuilder()
            .AddJsonFile(System.IO.Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json"))
            .Build();
        var section = development.GetSection("JobServer:Recurring:daily-report");

        Assert.Equal("0 6 * * *", section["Cron"]);
        Assert.Equal("Europe/Berlin", section["TimeZone"]);
        Assert.Equal("report", section["Type"]);
        var configuration = new JobServer.Recurring.RecurringConfiguration();
        configuration.Load(development.GetSection(JobServer.Recurring.RecurringConfiguration.SectionName));
        Assert.Empty(configuration.Check(new DefaultTimeZoneResolver()).Problems);
    }
}
