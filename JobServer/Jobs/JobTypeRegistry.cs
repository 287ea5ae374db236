namespace JobServer.Jobs;

/// <summary>All job types this process knows, by their stored name. Built once from the DI registrations.</summary>
public sealed class JobTypeRegistry
{
    private readonly Dictionary<string, JobType> _byName;
    private readonly Dictionary<Type, JobType> _byHandler;

    public JobTypeRegistry(IEnumerable<JobType> types)
    {
        _byName = new Dictionary<string, JobType>(StringComparer.Ordinal);
        _byHandler = [];
        foreach (var type in types)
        {
            if (!_byName.TryAdd(type.Name, type))
            {
                throw new InvalidOperationException($"Job type '{type.Name}' is registered twice.");
            }

            _byHandler[type.HandlerType] = type;
        }
    }

    public IReadOnlyCollection<JobType> All => _byName.Values;

    public JobType? Find(string name) => _byName.GetValueOrDefault(name);

    public JobType? FindByHandler(Type handlerType) => _byHandler.GetValueOrDefault(handlerType);
}
