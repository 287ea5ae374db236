namespace JobServer.Api;

/// <summary>A request field is wrong; the endpoint answers 400 naming <see cref="Field"/> (<c>args.ms</c>, <c>jobs[3].queue</c>).</summary>
internal sealed class ApiFieldException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;

    /// <summary>The same fault seen from an enclosing object: <c>queue</c> inside <c>jobs[3]</c> is <c>jobs[3].queue</c>.</summary>
    public ApiFieldException Under(string prefix) => new(Field is "" or "body" ? prefix : $"{prefix}.{Field}", Reason);
}
