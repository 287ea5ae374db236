namespace JobServer.Jobs;

/// <summary>The daily report takes no arguments; the class keeps its method shaped like every other job's.</summary>
public sealed class ReportArguments : IJobArguments
{
    public IReadOnlyList<ArgumentError> Validate() => Array.Empty<ArgumentError>();

    public override string ToString() => "all projects";
}
