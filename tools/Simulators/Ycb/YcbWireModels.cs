namespace Simulators.Ycb;

// Bodies of ycb's account APIs (partners.md §1, Pass-through APIs) and of a contract-breaking request.

/// <summary><c>GET /api/v2/accounts/balance</c> answer.</summary>
internal sealed record YcbBalanceReply(string RetCode, YcbBalance Data);

internal sealed record YcbBalance(string Available, string Currency);

/// <summary><c>POST /api/v2/accounts/verify</c> body.</summary>
internal sealed record YcbVerifyRequest(string? AcctNo, string? AcctName);

/// <summary><c>POST /api/v2/accounts/verify</c> answer when the account checks out.</summary>
internal sealed record YcbVerifyReply(string RetCode, YcbVerifyResult Data);

internal sealed record YcbVerifyResult(bool Match);

/// <summary>9999 with a <c>detail</c> naming what in the request broke the contract.</summary>
internal sealed record YcbErrorReply(string RetCode, string RetMsg, string Detail);
