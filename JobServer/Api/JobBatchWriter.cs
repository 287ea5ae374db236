using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace JobServer.Api;

/// <summary>
/// Writes a batch of planned jobs in one storage transaction: each job row (<see cref="JobStorageTransaction.CreateJob"/>,
/// which our storage writes inside the transaction) and its first state, applied by Hangfire's state machine so every
/// election and apply filter runs. Hangfire's client filters run around it as its own client runs them: OnCreating
/// before the job is written (a filter that cancels refuses the batch), OnCreated after the commit.
/// </summary>
internal sealed class JobBatchWriter(JobStorage storage, IJobFilterProvider filters, IStateMachine stateMachine)
{
    /// <summary>Hangfire gives a job created without a state this long before it expires; every job here gets a state in the same transaction.</summary>
    private static readonly TimeSpan UninitializedExpiry = TimeSpan.FromDays(30);

    public static JobBatchWriter From(JobStorage storage, IServiceProvider services)
    {
        var filters = services.GetService<IJobFilterProvider>() ?? JobFilterProviders.Providers;
        var stateMachine = services.GetService<IBackgroundJobFactory>()?.StateMachine ?? new StateMachine(filters);
        return new JobBatchWriter(storage, filters, stateMachine);
    }

    /// <summary>The ids and first states, in order; or <see cref="BatchRefusedException"/> naming the job a client filter
    /// cancelled. Nothing is visible to anyone until the one commit, and nothing at all if it throws before.</summary>
    public IReadOnlyList<(string Id, string State)> Write(IReadOnlyList<JobPlan> plans)
    {
        if (!storage.HasFeature(JobStorageFeatures.Transaction.CreateJob))
        {
            throw new NotSupportedException("A batch needs a storage that creates jobs inside a transaction (JobServer's MySQL storage does).");
        }

        using var connection = storage.GetConnection();
        var created = new List<(CreateContext Context, BackgroundJob Job, string State)>(plans.Count);
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            for (var i = 0; i < plans.Count; i++)
            {
                var context = new CreateContext(storage, connection, plans[i].Job, plans[i].InitialState);
                var clientFilters = ClientFilters(context.Job);
                var creating = new CreatingContext(context);
                foreach (var filter in clientFilters)
                {
                    filter.OnCreating(creating);
                    if (creating.Canceled)
                    {
                        throw new BatchRefusedException(i);
                    }
                }

                var parameters = context.Parameters.ToDictionary(p => p.Key, p => SerializationHelper.Serialize(p.Value, SerializationOption.User));
                var createdAt = DateTime.UtcNow;
                var id = transaction.CreateJob(context.Job, parameters, createdAt, UninitializedExpiry);
                var job = new BackgroundJob(id, context.Job, createdAt, parameters);
                var elected = stateMachine.ApplyState(new ApplyStateContext(storage, connection, transaction, job, context.InitialState!, oldStateName: null));
                created.Add((context, job, elected.Name));
            }

            transaction.Commit();
        }

        foreach (var (context, job, _) in created)
        {
            var done = new CreatedContext(context, job, canceled: false, exception: null);
            foreach (var filter in Enumerable.Reverse(ClientFilters(context.Job)))
            {
                filter.OnCreated(done);
            }
        }

        return created.Select(c => (c.Job.Id, c.State)).ToList();
    }

    private List<IClientFilter> ClientFilters(Job job) =>
        filters.GetFilters(job).Select(f => f.Instance).OfType<IClientFilter>().ToList();
}

/// <summary>A client filter cancelled the creation of the batch's job <see cref="Index"/>; nothing was written.</summary>
internal sealed class BatchRefusedException(int index) : Exception($"A client filter cancelled job {index} of the batch.")
{
    public int Index { get; } = index;
}
