using Gateway.Core;

namespace Gateway.Partners;

/// <summary>
/// One partner dialect. The payout flow talks only to this: it never knows which bank it is.
/// Implementations map wire answers to <see cref="PartnerAnswer"/> and let transport failures
/// (timeouts, refused connections) propagate as exceptions for the pipeline to see.
/// </summary>
public interface IPartnerClient
{
    string Name { get; }

    /// <summary>Sends the payout under <paramref name="order"/>.Reference, the payout id.</summary>
    Task<PartnerAnswer> DisburseAsync(DisbursementOrder order, CancellationToken cancellationToken);

    /// <summary>Asks the partner what became of the reference. Never moves money.</summary>
    Task<PartnerAnswer> InquireAsync(string reference, CancellationToken cancellationToken);
}

/// <summary>What a partner is asked to pay. <see cref="Reference"/> is the payout id, the same for every attempt.</summary>
public sealed record DisbursementOrder(string Reference, decimal Amount, string Currency, Beneficiary Beneficiary, string Remark)
{
    public static DisbursementOrder For(PayoutRecord payout) =>
        new(payout.Id, payout.Amount, payout.Currency, payout.Beneficiary, payout.LoanId);
}

/// <summary>Thrown by an adapter when a partner's answer cannot be read: an unknown outcome, never a failure.</summary>
public sealed class PartnerMalformedResponseException(string message, int? httpStatus, Exception? inner = null)
    : Exception(message, inner)
{
    public int? HttpStatus { get; } = httpStatus;
}
