using JobServer.Dashboard;
using JobServer.Engine.States;

namespace JobServer.Tests.Dashboard;

public sealed class DashboardLinksTests
{
    private static DashboardLinks CreateSut(string pathBase = "") => new(pathBase, "/dashboard", "v1");

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/jobs/42")]
    [InlineData("/dashboard/jobs/failed?queue=a&type=b")]
    [InlineData("/dashboard?x=1")]
    [InlineData("/dashboard/jobs/failed?type=..")]
    public void IsInside_DashboardAddress_True(string url) => Assert.True(CreateSut().IsInside(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/dashboardx")]
    [InlineData("/api/jobs")]
    [InlineData("https://evil.example/dashboard")]
    [InlineData("//evil.example/dashboard")]
    [InlineData("/dashboard//evil.example")]
    [InlineData("/dashboard/\\evil.example")]
    [InlineData("/dashboard/\r\nSet-Cookie: x")]
    [InlineData("/dashboard/../api/jobs")]
    [InlineData("/dashboard/%2e%2e/api/jobs")]
    [InlineData("/dashboard/jobs/./..")]
    [InlineData("/dashboard/..")]
    public void IsInside_AnythingElse_False(string? url) => Assert.False(CreateSut().IsInside(url));

    [Fact]
    public void Jobs_WithFiltersAndPathBase_BuildsEscapedQuery() =>
        Assert.Equal("/app/dashboard/jobs/failed?queue=a-b&type=x%26y%3Dz&before=42", CreateSut("/app").Jobs(JobState.Failed, "a-b", "x&y=z", 42));

    [Theory]
    [InlineData("failed", JobState.Failed)]
    [InlineData("enqueued", JobState.Enqueued)]
    [InlineData("Failed", null)]
    [InlineData("4", null)]
    public void ParseSlug_LowercaseStateName_Parses(string slug, JobState? expected) =>
        Assert.Equal(expected, DashboardLinks.ParseSlug(slug));
}
