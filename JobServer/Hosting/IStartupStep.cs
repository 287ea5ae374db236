namespace JobServer.Hosting;

/// <summary>Work that needs the database and must happen before this process's Hangfire servers start, such as
/// writing recurring job definitions from configuration. Steps run in registration order, once the schema is in
/// place, and again from the start if the database fails on the way; so a step must be re-runnable.</summary>
public interface IStartupStep
{
    Task RunAsync(CancellationToken cancellationToken);
}
