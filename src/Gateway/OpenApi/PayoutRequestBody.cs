namespace Gateway.OpenApi;

/// <summary>
/// The <c>POST /v1/payouts</c> body as documented (the handler reads it field by field with
/// <see cref="Payouts.PayoutRequestReader"/>; <see cref="ContractSchemaTransformer"/> adds its rules).
/// </summary>
public sealed record PayoutRequestBody(
    string LoanId,
    string Amount,
    string Currency,
    BeneficiaryInput Beneficiary,
    string? Partner,
    Dictionary<string, string>? Metadata);

/// <summary>The beneficiary as submitted, unmasked (answers carry the masked <see cref="Core.Beneficiary"/>).</summary>
public sealed record BeneficiaryInput(string Name, string AccountNumber, string BankCode);

