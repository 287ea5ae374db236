namespace JobServer.Tests.Browser;

/// <summary>The README screenshots spend most of their time waiting for the overview's polls: with a chromium of their
/// own they wait alongside the other browser tests instead of after them.</summary>
[CollectionDefinition(Name)]
public sealed class ReadmeScreenshotsCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Browser: README screenshots";
}
