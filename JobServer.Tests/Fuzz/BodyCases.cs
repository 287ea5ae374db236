using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Generated requests with a JSON body: a template mutated once or twice (the oracle judges it), or broken as a whole
/// (malformed, the wrong media type, ten megabytes). <paramref name="onValid"/> decides what a valid body gets.
/// </summary>
internal sealed class BodyCases(Random random)
{
    public const int DefaultMaxBytes = 1024 * 1024;

    private static readonly string?[] NotJsonMediaTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", null];

    public FuzzCase Next(HttpMethod method, string url, BodyModel model, Func<BodyModel, Outcome> onValid, int maxBytes = DefaultMaxBytes)
    {
        var roll = random.Next(100);
        if (roll < 10)
        {
            var (bytes, @class) = MalformedBodies.Next(random, model.Render());
            return new FuzzCase($"body {@class}", method, url, Outcome.Refused) { Body = bytes, UnknownLength = random.Next(4) == 0, Faults = ["body"] };
        }

        if (roll < 13)
        {
            var mediaType = HostileStrings.Pick(random, NotJsonMediaTypes);
            return new FuzzCase($"media type {mediaType ?? "none"}", method, url, Outcome.Refused) { Body = Encoding.UTF8.GetBytes(model.Render()), ContentType = mediaType };
        }

        var label = roll < 15 ? "unchanged template" : model.Mutate(random);
        if (roll >= 85)
        {
            label += "; " + model.Mutate(random);
        }

        var json = model.Render();
        var expected = Encoding.UTF8.GetByteCount(json) > maxBytes ? Outcome.Refused : Judge(model, onValid);
        return FuzzCase.Json(label, method, url, json, expected) with { UnknownLength = random.Next(10) == 0, Faults = [.. model.Touched] };
    }

    /// <summary>About ten megabytes around <paramref name="model"/>, sent with and without a Content-Length.</summary>
    public FuzzCase Huge(HttpMethod method, string url, BodyModel model, Func<BodyModel, Outcome> onValid, int maxBytes = DefaultMaxBytes)
    {
        var (bytes, @class, validJson) = MalformedBodies.Huge(random, model.Render());
        var expected = bytes.Length > maxBytes || !validJson ? Outcome.Refused : Judge(model, onValid);
        return new FuzzCase($"body {@class}", method, url, expected) { Body = bytes, UnknownLength = random.Next(2) == 0, Faults = [.. model.Touched, "pad", "body"] };
    }

    public static Outcome Judge(BodyModel model, Func<BodyModel, Outcome> onValid) => model.Judge() switch
    {
        true => onValid(model),
        false => Outcome.Refused,
        null => Outcome.Either,
    };
}
