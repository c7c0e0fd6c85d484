namespace Gateway.Core;

/// <summary>The diagnosis every failed payout carries (failure-causes.md): one cause, who acts, and the evidence.</summary>
public sealed record Failure
{
    public required string Category { get; init; }
    public required string Cause { get; init; }
    public required string Owner { get; init; }
    public required string Resubmit { get; init; }
    public string? IsoReason { get; init; }
    public required string Summary { get; init; }
    public required IReadOnlyDictionary<string, string> BorrowerMessage { get; init; }
    public required Evidence Evidence { get; init; }
}

/// <summary>What the diagnosis was drawn from (failure-causes.md rule 5).</summary>
public sealed record Evidence
{
    public string? Partner { get; init; }
    public string? PartnerCode { get; init; }
    public string? PartnerMessage { get; init; }
    public int? HttpStatus { get; init; }
    public required int Attempts { get; init; }
    public required long ElapsedMs { get; init; }
    public required string Circuit { get; init; }
    public string? TraceId { get; init; }

    /// <summary>
    /// When the outcome was unknown and a status inquiry resolved it: what the inquiry answered
    /// (<c>not_found</c>, <c>rejected</c>, ...), and its partner code.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Inquiry { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? InquiryCode { get; init; }
}
