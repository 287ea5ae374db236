namespace JobServer.Tests.Browser;

/// <summary>The browser tests share one chromium and run one after another; other collections still run alongside.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Browser";
}
