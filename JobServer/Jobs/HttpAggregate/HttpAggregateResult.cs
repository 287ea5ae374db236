namespace JobServer.Jobs.HttpAggregate;

/// <summary>The stored result of an <see cref="HttpAggregateJob"/>.</summary>
/// <param name="TotalMs">Wall time of the whole aggregation: about the slowest URL when all run at once.</param>
/// <param name="Failed">How many entries carry an error.</param>
/// <param name="Results">One entry per submitted URL, in submission order.</param>
public sealed record HttpAggregateResult(long TotalMs, int Failed, IReadOnlyList<UrlResult> Results);
