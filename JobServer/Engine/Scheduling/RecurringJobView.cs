using JobServer.Storage;

namespace JobServer.Engine.Scheduling;

/// <summary>A recurring job as the API and dashboard show it: its stored state, its schedule in words, the next runs.</summary>
public sealed record RecurringJobView(RecurringJobInfo Info, string Description, IReadOnlyList<DateTime> NextOccurrences);
