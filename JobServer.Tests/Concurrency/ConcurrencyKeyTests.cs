using JobServer.Concurrency;

namespace JobServer.Tests.Concurrency;

public sealed class ConcurrencyKeyTests
{
    [Fact]
    public void Resolve_ArgumentAndProperty_FormInvariantText()
    {
        var key = ConcurrencyKey.Resolve("bulk:{0.Project}:{1}:{{x}}", [new PairArgs { Project = "p1" }, 2.5]);

        Assert.Equal("bulk:p1:2.5:{x}", key.Name);
        Assert.Equal("concurrency:bulk:p1:2.5:_x_#", key.Holders[..28]);
    }

    [Fact]
    public void Resolve_PlainKey_IsStoredAsItIs()
    {
        var key = ConcurrencyKey.Resolve("bulk:{0}", ["p1"]);

        Assert.Equal("concurrency:bulk:p1", key.Holders);
        Assert.Equal("concurrency:bulk:p1:waiting", key.Waiting);
        Assert.Equal("concurrency:bulk:p1:line", key.Line);
        Assert.Equal("concurrency:bulk:p1", key.LockResource);
    }

    [Theory]
    [InlineData("p1 ")]
    [InlineData("p1\0")]
    [InlineData("p1#")]
    public void Resolve_KeysTheDatabaseWouldConfuse_AreStoredApart(string project)
    {
        var plain = ConcurrencyKey.Resolve("{0}", ["p1"]);
        var other = ConcurrencyKey.Resolve("{0}", [project]);

        Assert.NotEqual(plain.Holders, other.Holders);
        Assert.False(other.Holders.EndsWith(' '));
        Assert.Equal(project, other.Name);
    }

    [Fact]
    public void Resolve_LongKey_FitsTheSetKeyColumnAndStaysDistinct()
    {
        var a = ConcurrencyKey.Resolve("{0}", [new string('a', 300) + "1"]);
        var b = ConcurrencyKey.Resolve("{0}", [new string('a', 300) + "2"]);

        Assert.NotEqual(a.Holders, b.Holders);
        Assert.True(a.Waiting.Length <= 100, a.Waiting);
    }

    [Theory]
    [InlineData("{1}", "names argument '1'")]
    [InlineData("{0.Missing}", "no public property 'Missing'")]
    [InlineData("{0", "unclosed")]
    [InlineData("0}", "unmatched")]
    [InlineData("{0.Project}", "is empty")]
    public void Resolve_BadTemplateOrArguments_ThrowsNamingTheProblem(string template, string message)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ConcurrencyKey.Resolve(template, [new PairArgs { Project = "" }]));

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void FindIn_ClientWrapping_FindsTheRefusal()
    {
        var refusal = new ConcurrencyLimitReachedException("k", ["7"]);
        var wrapped = new Hangfire.BackgroundJobClientException("creation failed", new AggregateException(refusal));

        Assert.Same(refusal, ConcurrencyLimitReachedException.FindIn(wrapped));
        Assert.Null(ConcurrencyLimitReachedException.FindIn(new InvalidOperationException()));
        Assert.Equal("Concurrency key 'k' is held by job(s) 7.", refusal.Message);
    }
}
