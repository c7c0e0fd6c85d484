using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Simulators.Common;
using WireMock;

namespace Simulators.SilkPay;

// Bodies SilkPay answers with (partners.md §3), written in snake_case with nulls kept.

/// <summary>A transfer object: creation, replay and list items.</summary>
internal sealed record TransferReply(
    string Id,
    string Object,
    string Status,
    long Amount,
    string Currency,
    string ClientReference,
    DestinationReply Destination,
    string? Description,
    string? FailureCode,
    string? FailureMessage,
    long Created);

internal sealed record DestinationReply(string AccountNumber, string AccountHolderName, string BankCode);

internal sealed record TransferListReply(string Object, IReadOnlyList<TransferReply> Data, bool HasMore, string Url);

internal sealed record ErrorReply(ErrorBody Error);

internal sealed record ErrorBody(string Type, string Code, string Message);

internal sealed record HealthReply(string Status);

internal static class SilkPayWire
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static ResponseMessage Answer<T>(int status, T body) =>
        SimResponses.Bytes(status, SimResponses.JsonContentType, JsonSerializer.SerializeToUtf8Bytes(body, Json));

    public static ResponseMessage Error(int status, string code, string? message = null) =>
        Answer(status, new ErrorReply(new ErrorBody(SilkPayCodes.ErrorType(status), code, message ?? SilkPayCodes.ErrorMessage(code))));
}
