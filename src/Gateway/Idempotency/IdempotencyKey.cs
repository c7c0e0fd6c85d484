namespace Gateway.Idempotency;

/// <summary>The <c>Idempotency-Key</c> header: 1–255 printable ASCII characters.</summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>The key, or null with the reason it is refused.</summary>
    public static (string? Key, string? Problem) Read(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return (null, $"The {HeaderName} header is required: 1–{MaxLength} printable ASCII characters, unique per payout.");
        }

        if (values.Count > 1)
        {
            return (null, $"Send exactly one {HeaderName} header.");
        }

        var key = values[0]!;
        if (key.Length > MaxLength || key.Any(c => c is < ' ' or > '~'))
        {
            return (null, $"The {HeaderName} header must be 1–{MaxLength} printable ASCII characters.");
        }

        return (key, null);
    }
}
