namespace JobServer.Tests.Fuzz;

/// <summary>
/// The oracle's memory of bulk-insert projects in flight: the fuzz server runs nothing, so every accepted bulk insert
/// holds its project's concurrency key for good, and a later valid one for the same project must get 409. Keys
/// compare exactly, so a project that differs by case or a trailing space is another key (README). It lives with the
/// database, as the keys do; new projects carry the test's name, so a test's inputs do not depend on the others'.
/// </summary>
internal sealed class HeldProjects
{
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, int> _serials = [];

    /// <summary>A project for a template: mostly new, sometimes one held already or one that nearly is.</summary>
    public (string Project, string Class) Next(Random random, string prefix)
    {
        var roll = random.Next(10);
        var own = _order.Where(p => p.StartsWith(prefix + "-", StringComparison.Ordinal)).ToList();
        if (own.Count > 0 && roll < 2)
        {
            var held = HostileStrings.Pick(random, own);
            return roll == 0 ? (held, "held-project") : HostileStrings.NearMiss(random, held);
        }

        _serials[prefix] = _serials.GetValueOrDefault(prefix) + 1;
        return ($"{prefix}-{_serials[prefix]}", "new-project");
    }

    /// <summary>The outcome for valid bulk inserts of <paramref name="projects"/> sent together (one batch is all or
    /// nothing): accepted, taking their keys, unless one is held already or repeated.</summary>
    public Outcome Take(IReadOnlyList<string> projects)
    {
        if (projects.Any(_held.Contains) || projects.Distinct(StringComparer.Ordinal).Count() < projects.Count)
        {
            return Outcome.Conflict;
        }

        foreach (var project in projects)
        {
            _held.Add(project);
            _order.Add(project);
        }

        return Outcome.Accepted;
    }
}
