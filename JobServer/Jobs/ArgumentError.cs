namespace JobServer.Jobs;

/// <summary>One invalid argument: the field as it is spelled in the JSON arguments (<c>rows</c>, <c>urls[2]</c>) and
/// what is wrong with it, phrased for the caller (an HTTP layer answers 400 with it).</summary>
public sealed record ArgumentError(string Field, string Message);
