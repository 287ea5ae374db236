using System.Text;

using JobServer.Hosting.Security;

namespace JobServer.Tests.Dashboard;

public sealed class BasicCredentialsTests
{
    private static BasicCredentials CreateSut() => new("ops", "pä:ss");

    [Theory]
    [InlineData("Basic")]
    [InlineData("basic")]
    [InlineData("BASIC")]
    public void Accepts_RightUserAndPassword_True(string scheme) =>
        Assert.True(CreateSut().Accepts($"{scheme} {Encode("ops:pä:ss")}"));

    [Theory]
    [InlineData("ops:pä:s")]
    [InlineData("ops:pä:sss")]
    [InlineData("Ops:pä:ss")]
    [InlineData("ops")]
    [InlineData(":pä:ss")]
    [InlineData("")]
    public void Accepts_WrongCredentials_False(string credentials) =>
        Assert.False(CreateSut().Accepts("Basic " + Encode(credentials)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic not-base64!")]
    [InlineData("Bearer b3BzOnDDpDpzcw==")]
    public void Accepts_MissingOrMalformedHeader_False(string? header) =>
        Assert.False(CreateSut().Accepts(header));

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
