using System.Globalization;

namespace JobServer.Engine;

/// <summary>Reads ids and page numbers sent as text: ASCII digits and nothing else. NumberStyles.None alone lets
/// through what .NET's parser forgives, trailing NUL characters ("5\0" would be 5).</summary>
public static class WholeNumber
{
    public static bool TryParse(string? text, out long value)
    {
        value = 0;
        return !string.IsNullOrEmpty(text) && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
