using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// A JSON object built from a <see cref="BodySchema"/>'s template and then mutated: a value replaced by a hostile one,
/// a field removed, an unknown or repeated field added, recursively into nested objects. <see cref="Judge"/> says,
/// from the schema alone, whether the server must accept the result.
/// </summary>
internal sealed class BodyModel
{
    private readonly List<Member> _members = [];

    public BodyModel(BodySchema schema)
    {
        Schema = schema;
        foreach (var field in schema.Fields)
        {
            if (field.Rule is ObjectRule nested)
            {
                _members.Add(new Member(Literal.String(field.Name, "name"), Literal.Raw("{}", "object"), new BodyModel(nested.Schema)));
            }
            else if (field.Base is { } value)
            {
                _members.Add(new Member(Literal.String(field.Name, "name"), value, null));
            }
        }
    }

    public BodySchema Schema { get; }

    /// <summary>The fields the mutations touched (<c>args.ms</c>, <c>queue</c>): where a refusal must name its fault.</summary>
    public List<string> Touched { get; } = [];

    /// <summary>The decoded text of a top-level field, when it is a string.</summary>
    public string? TextOf(string name) => _members.FirstOrDefault(m => m.Key.Text == name)?.Value.Text;

    /// <summary>The nested object sent as a top-level field (a job's args), unless a mutation replaced it.</summary>
    public BodyModel? NestedOf(string name) => _members.FirstOrDefault(m => m.Key.Text == name)?.Nested;

    public void Set(string name, Literal value)
    {
        _members.RemoveAll(m => m.Key.Text == name);
        _members.Add(new Member(Literal.String(name, "name"), value, null));
    }

    public string Render()
    {
        var json = new StringBuilder("{");
        foreach (var member in _members)
        {
            json.Append(json.Length > 1 ? "," : "").Append(member.Key.Json).Append(':').Append(member.Nested?.Render() ?? member.Value.Json);
        }

        return json.Append('}').ToString();
    }

    /// <summary>True: the server must accept it; false: it must refuse it; null: the oracle cannot tell.</summary>
    public bool? Judge()
    {
        bool? verdict = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in _members)
        {
            var field = Schema.Find(member.Key.Text);
            if (!member.Key.WellFormed || !seen.Add(member.Key.Text!) || field is null)
            {
                return false;
            }

            verdict = Both(verdict, member.Nested is { } nested ? nested.Judge() : field.Rule.Accepts(member.Value));
        }

        return Schema.Fields.Any(f => f.Required && !seen.Contains(f.Name)) ? false : verdict;
    }

    /// <summary>Applies one random mutation and describes it, e.g. <c>args.ms ← odd-number 1e400</c>.</summary>
    public string Mutate(Random random)
    {
        var roll = random.Next(100);
        if (_members.Count == 0 || roll < 12)
        {
            return AddField(random);
        }

        var index = random.Next(_members.Count);
        var member = _members[index];
        var name = member.Key.Text ?? "?";
        if (!(roll is >= 32 and < 60 && member.Nested is not null))
        {
            Touched.Add(name);
        }

        switch (roll)
        {
            case < 22:
                _members.RemoveAt(index);
                return $"{name} removed";
            case < 32:
                var value = random.Next(2) == 0 ? member.Value : HostileValues.For(null, random);
                _members.Insert(random.Next(_members.Count + 1), member with { Value = value, Nested = null });
                return $"{name} repeated ← {Describe(value)}";
            case < 60 when member.Nested is { } nested:
                var touchedBefore = nested.Touched.Count;
                var label = nested.Mutate(random);
                Touched.AddRange(nested.Touched.Skip(touchedBefore).Select(path => $"{name}.{path}"));
                return $"{name}.{label}";
            default:
                var hostile = HostileValues.For(Schema.Find(name)?.Rule, random);
                _members[index] = member with { Value = hostile, Nested = null };
                return $"{name} ← {Describe(hostile)}";
        }
    }

    private string AddField(Random random)
    {
        var absent = Schema.Fields.Where(f => _members.All(m => m.Key.Text != f.Name)).ToList();
        if (absent.Count > 0 && random.Next(2) == 0)
        {
            var field = HostileStrings.Pick(random, absent);
            var value = HostileValues.For(field.Rule, random);
            Touched.Add(field.Name);
            _members.Add(new Member(Literal.String(field.Name, "name"), value, null));
            return $"+{field.Name} ← {Describe(value)}";
        }

        var (name, @class) = Schema.Fields.Length > 0 && random.Next(2) == 0
            ? HostileStrings.NearMiss(random, HostileStrings.Pick(random, Schema.Fields).Name)
            : HostileStrings.Next(random);
        var unknown = HostileValues.For(null, random);
        Touched.Add(name);
        _members.Insert(random.Next(_members.Count + 1), new Member(Literal.String(name, @class), unknown, null));
        return $"+unknown field ({@class}) ← {Describe(unknown)}";
    }

    public static string Describe(Literal value) => $"{value.Class} {Excerpt(value.Json)}";

    public static string Excerpt(string text, int max = 60) => text.Length <= max ? text : $"{text[..max]}… ({text.Length:N0} chars)";

    /// <summary>Three-valued AND: refused if either is, accepted if both are, otherwise unknown.</summary>
    public static bool? Both(bool? a, bool? b) => a == false || b == false ? false : a == true && b == true ? true : null;

    private sealed record Member(Literal Key, Literal Value, BodyModel? Nested);
}
