using JobServer.Engine.States;

namespace JobServer.Storage;

/// <summary>A continuation was refused because of its parent: there is no such job (<see cref="ParentState"/> null),
/// or the parent was deleted and the continuation would only run after a success. Nothing was written.</summary>
public sealed class ContinuationParentException(long parentId, JobState? parentState)
    : Exception(parentState is null
        ? $"There is no job {parentId} to continue."
        : $"Job {parentId} is {parentState}; a continuation that runs only after success would never run.")
{
    public long ParentId { get; } = parentId;

    public JobState? ParentState { get; } = parentState;
}
