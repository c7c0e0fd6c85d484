using System.Text.Json.Serialization;
using Refit;

namespace Gateway.Partners.SilkPay;

/// <summary>
/// SilkPay's wire API (partners.md §3). Answers come back raw: the status code decides how the
/// body is read (a transfer, a list, or an error object), which <see cref="SilkPayClient"/> does.
/// </summary>
public interface ISilkPayApi
{
    [Post("/v1/transfers")]
    Task<HttpResponseMessage> CreateTransferAsync(
        [Header("Idempotency-Key")] string idempotencyKey,
        [Body] SilkPayTransferRequest request,
        CancellationToken cancellationToken);

    [Get("/v1/transfers")]
    Task<HttpResponseMessage> ListTransfersAsync(
        [AliasAs("client_reference")] string clientReference,
        CancellationToken cancellationToken);
}

/// <summary>The <c>POST /v1/transfers</c> body; <c>amount</c> in fen.</summary>
public sealed record SilkPayTransferRequest(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("client_reference")] string ClientReference,
    [property: JsonPropertyName("destination")] SilkPayDestination Destination,
    [property: JsonPropertyName("description")] string Description);

public sealed record SilkPayDestination(
    [property: JsonPropertyName("account_number")] string? AccountNumber,
    [property: JsonPropertyName("account_holder_name")] string? AccountHolderName,
    [property: JsonPropertyName("bank_code")] string? BankCode);

/// <summary>A transfer object as SilkPay answers it (creation, replay, or an item of a list).</summary>
public sealed record SilkPayTransfer(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("object")] string? Kind,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("amount")] long? Amount,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("client_reference")] string? ClientReference,
    [property: JsonPropertyName("destination")] SilkPayDestination? Destination,
    [property: JsonPropertyName("failure_code")] string? FailureCode,
    [property: JsonPropertyName("failure_message")] string? FailureMessage);

/// <summary><c>GET /v1/transfers?client_reference=...</c>: <c>{ "object": "list", "data": [...] }</c>.</summary>
public sealed record SilkPayTransferList(
    [property: JsonPropertyName("object")] string? Kind,
    [property: JsonPropertyName("data")] IReadOnlyList<SilkPayTransfer>? Data);

/// <summary>Every non-2xx answer: <c>{ "error": { "type", "code", "message" } }</c>.</summary>
public sealed record SilkPayErrorEnvelope(
    [property: JsonPropertyName("error")] SilkPayError? Error);

public sealed record SilkPayError(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message);
