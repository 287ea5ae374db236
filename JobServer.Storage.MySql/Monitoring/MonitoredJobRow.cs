namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// One job as the dashboard lists it: the job row (absent when the job expired while its queue row remained) joined
/// with its current state. Column aliases in the list queries match these property names.
/// </summary>
internal sealed class MonitoredJobRow
{
    public long Id { get; set; }
    public string? StateName { get; set; }
    public string? InvocationData { get; set; }
    public string? Arguments { get; set; }
    public string? StateReason { get; set; }
    public string? StateData { get; set; }
    public DateTime? StateCreatedAt { get; set; }
    public DateTime? FetchedAt { get; set; }

    public bool IsIn(string stateName) => stateName.Equals(StateName, StringComparison.OrdinalIgnoreCase);
}
