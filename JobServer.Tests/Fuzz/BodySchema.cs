namespace JobServer.Tests.Fuzz;

/// <param name="Name">The field's name, exactly (names are case-sensitive).</param>
/// <param name="Base">The harmless valid value the template sends; null leaves the field out of the template. A field
/// ruled by <see cref="ObjectRule"/> is sent as an object built from its own schema.</param>
internal sealed record FieldSpec(string Name, FieldRule Rule, Literal? Base = null, bool Required = false);

/// <summary>The fields a JSON object body may have; any other is refused.</summary>
internal sealed record BodySchema(params FieldSpec[] Fields)
{
    public FieldSpec? Find(string? name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
