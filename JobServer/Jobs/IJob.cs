namespace JobServer.Jobs;

/// <summary>
/// A job type's handler. Resolved from DI in a fresh scope for every attempt, so it may take scoped dependencies.
/// Throwing fails the attempt (retried per the type's policy); honouring <see cref="JobContext.CancellationToken"/>
/// lets a deleted job or a shutting-down server stop it promptly.
/// </summary>
/// <typeparam name="TArgs">The arguments, deserialized from the job's stored JSON and validated with DataAnnotations.</typeparam>
public interface IJob<in TArgs>
    where TArgs : class
{
    Task ExecuteAsync(TArgs args, JobContext context);
}
