using Gateway.Diagnosis;
using Gateway.Core;

namespace Gateway.Partners.SilkPay;

/// <summary>
/// The SilkPay adapter: builds the transfer (the payout id is the <c>Idempotency-Key</c> and
/// <c>client_reference</c> on every attempt; the amount in fen) and reads the answer by HTTP
/// status, transfer <c>status</c>, and <c>failure_code</c> / <c>error.code</c> through the
/// code table. Transport failures propagate to the pipeline.
/// </summary>
public sealed class SilkPayClient(ISilkPayApi api, PartnerWire wire) : IPartnerClient
{
    // Causes of the taxonomy (causes.json) this adapter names itself; not in the shared Causes list.
    private const string PartnerAuthFailed = "PARTNER_AUTH_FAILED";
    private const string RequestInvalid = "REQUEST_INVALID";

    public string Name => SilkPayOptions.Name;

    public async Task<PartnerAnswer> DisburseAsync(DisbursementOrder order, CancellationToken cancellationToken)
    {
        if (SilkPayMoney.ToFen(order.Amount) is not { } fen)
        {
            // Cannot happen for a validated payout (two decimals at most); nothing is sent.
            return new PartnerAnswer
            {
                Outcome = PartnerOutcome.NotExecuted, Label = "rejected", Cause = RequestInvalid,
                PartnerMessage = "amount is not a whole number of fen",
            };
        }

        var request = new SilkPayTransferRequest(
            fen,
            SilkPayMoney.Currency(order.Currency),
            order.Reference,
            new SilkPayDestination(order.Beneficiary.AccountNumber, order.Beneficiary.Name, order.Beneficiary.BankCode),
            order.Remark);
        return ReadTransferAnswer(await PartnerWire.ReceiveAsync(api.CreateTransferAsync(order.Reference, request, cancellationToken), cancellationToken));
    }

    public async Task<PartnerAnswer> InquireAsync(string reference, CancellationToken cancellationToken)
    {
        return ReadInquiry(reference, await PartnerWire.ReceiveAsync(api.ListTransfersAsync(reference, cancellationToken), cancellationToken));
    }

    private CodeTable Codes => wire.Codes;

    /// <summary>The answer to <c>POST /v1/transfers</c>.</summary>
    private PartnerAnswer ReadTransferAnswer(WireResponse response)
    {
        var http = response.Http;
        if (response.IsSuccess)
        {
            var transfer = wire.Parse<SilkPayTransfer>(response);
            if (transfer.Status is null)
            {
                throw new PartnerMalformedResponseException($"silkpay answered HTTP {http} without a transfer status", http);
            }

            return ByStatus(transfer, http);
        }

        var error = PartnerWire.TryParse<SilkPayErrorEnvelope>(response.Body)?.Error;
        var answer = PartnerWire.Unmapped(http, error?.Code ?? error?.Type, error?.Message);

        switch (http)
        {
            case >= 500:
                // api_error: the transfer may or may not have been made (rule 1).
                return answer with { Label = "unavailable", Cause = Causes.PartnerUnavailable };
            case 401:
                return answer with { Outcome = PartnerOutcome.NotExecuted, Label = "rejected", Cause = PartnerAuthFailed };
            case 429:
                return answer with
                {
                    Outcome = PartnerOutcome.NotExecuted, Label = "throttled", Cause = Causes.PartnerRateLimited,
                    Retryable = true, RetryAfter = wire.RetryAfter(response),
                };
        }

        if (error is null || (error.Code is null && error.Type is null))
        {
            throw new PartnerMalformedResponseException($"silkpay answered HTTP {http} without a readable error", http);
        }

        // error.code first; the error type is the fallback row (invalid_request_error).
        return PartnerWire.ByRow(answer, Codes.Find(error.Code) ?? Codes.Find(error.Type), wire.RetryAfter(response));
    }

    /// <summary>
    /// The answer to <c>GET /v1/transfers?client_reference=</c>: one transfer speaks by its status,
    /// an empty list means never received. Anything else says the inquiry failed, not the payout.
    /// </summary>
    private PartnerAnswer ReadInquiry(string reference, WireResponse response)
    {
        var http = response.Http;
        var failed = new PartnerAnswer { Outcome = PartnerOutcome.Unknown, Label = "inquiry_failed", HttpStatus = http };
        if (!response.IsSuccess)
        {
            var error = PartnerWire.TryParse<SilkPayErrorEnvelope>(response.Body)?.Error;
            return failed with { PartnerCode = PartnerText.Code(error?.Code ?? error?.Type), PartnerMessage = PartnerText.Message(error?.Message) };
        }

        var list = wire.Parse<SilkPayTransferList>(response);
        if (list.Data is null)
        {
            throw new PartnerMalformedResponseException($"silkpay answered HTTP {http} without a transfer list", http);
        }

        switch (list.Data.Count)
        {
            case 0:
                return new PartnerAnswer { Outcome = PartnerOutcome.NotFound, Label = "not_found", HttpStatus = http };
            case 1 when list.Data[0] is { Status: not null } transfer
                && (transfer.ClientReference is null || string.Equals(transfer.ClientReference, reference, StringComparison.Ordinal)):
                var answer = ByStatus(transfer, http);
                return answer.Outcome == PartnerOutcome.Unknown ? answer with { Label = "inquiry_failed", Cause = null } : answer;
            default:
                return failed with { PartnerMessage = $"{list.Data.Count} transfers listed for the reference" };
        }
    }

    private PartnerAnswer ByStatus(SilkPayTransfer transfer, int http)
    {
        var answer = new PartnerAnswer
        {
            Outcome = PartnerOutcome.Unknown,
            Label = "unknown_status",
            Cause = Causes.PartnerUnknownCode,
            // What silkpay wrote is kept only scrubbed (PartnerText): it reaches records, logs and /ops.
            PartnerCode = PartnerText.Code(transfer.FailureCode),
            PartnerMessage = PartnerText.Message(transfer.FailureMessage),
            PartnerStatus = PartnerText.Code(transfer.Status),
            PartnerReference = PartnerText.Reference(transfer.Id),
            HttpStatus = http,
            RecordedAmount = transfer.Amount is { } fen ? SilkPayMoney.FromFen(fen) : null,
            RecordedAccount = transfer.Destination?.AccountNumber,
        };

        return transfer.Status switch
        {
            "paid" => answer with { Outcome = PartnerOutcome.Succeeded, Label = "succeeded", Cause = null },
            "pending" or "in_transit" => answer with { Outcome = PartnerOutcome.Processing, Label = "processing", Cause = null },
            "failed" => answer with
            {
                Outcome = PartnerOutcome.NotExecuted,
                Label = "rejected",
                // A failed transfer is final; a code we cannot map keeps its raw value in evidence.
                Cause = transfer.FailureCode is null
                    ? Causes.PartnerUnspecified
                    : Codes.Find(transfer.FailureCode)?.Cause ?? Causes.PartnerUnknownCode,
            },
            // A status the spec does not name: outcome unknown, inquire.
            _ => answer with { PartnerCode = PartnerText.Code(transfer.FailureCode ?? transfer.Status) },
        };
    }
}

/// <summary>SilkPay amounts are integers in fen; currencies are lowercase ISO codes.</summary>
internal static class SilkPayMoney
{
    /// <summary>The amount in fen, exactly; null if it is not a whole number of fen or out of range.</summary>
    public static long? ToFen(decimal amount)
    {
        var fen = amount * 100m;
        return fen == decimal.Truncate(fen) && fen is >= long.MinValue and <= long.MaxValue ? decimal.ToInt64(fen) : null;
    }

    public static decimal FromFen(long fen) => fen / 100m;

    public static string Currency(string currency) => currency switch
    {
        "CNY" => "cny",
        _ => currency.ToLowerInvariant(),
    };
}
