using JobServer.Engine.States;

namespace JobServer.Jobs;

/// <summary>
/// A registered job type: the stable name stored with each job, its handler and argument types, and its options.
/// The database only ever names a registered type; it can never make the server run arbitrary code.
/// </summary>
public sealed class JobType
{
    private readonly Func<object, object, JobContext, Task> _invoke;

    internal JobType(string name, Type handlerType, Type argsType, JobTypeOptions options, Func<object, object, JobContext, Task> invoke)
    {
        Name = name;
        HandlerType = handlerType;
        ArgsType = argsType;
        Options = options;
        RetryPolicy = new RetryPolicy(options.MaxAttempts, options.RetryBaseDelay, options.RetryMaxDelay);
        _invoke = invoke;
    }

    public string Name { get; }

    public Type HandlerType { get; }

    public Type ArgsType { get; }

    public JobTypeOptions Options { get; }

    public RetryPolicy RetryPolicy { get; }

    internal Task InvokeAsync(object handler, object args, JobContext context) => _invoke(handler, args, context);

    internal static JobType Create<THandler, TArgs>(string name, JobTypeOptions options)
        where THandler : class, IJob<TArgs>
        where TArgs : class =>
        new(name, typeof(THandler), typeof(TArgs), options, (handler, args, context) => ((THandler)handler).ExecuteAsync((TArgs)args, context));
}
