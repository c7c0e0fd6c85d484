using System.Text.Json;

namespace Simulators.SilkPay;

/// <summary>
/// The simulated SilkPay's books: every Idempotency-Key it holds (with the body it first came
/// with), every transfer, the transfers it executed, and how many transfer requests named each
/// client_reference. One lock makes the key check, the behaviour choice and the execution a single
/// step, so concurrent requests under one key execute at most once.
/// </summary>
internal sealed class SilkPayBooks(SilkPayBehaviours behaviours, TimeProvider clock, SilkPaySimulatorOptions options)
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions HeldBodyJson = new(SilkPayWire.Json) { WriteIndented = true };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (byte[] Body, string TransferId)> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SilkPayTransferRecord> _transfers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byReference = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _executionCounts = new(StringComparer.Ordinal);
    private readonly List<SilkPayExecution> _executions = [];

    /// <summary>Counts an authenticated transfer request naming the client_reference.</summary>
    public void CountRequest(string clientReference)
    {
        lock (_gate)
        {
            _requests[clientReference] = _requests.GetValueOrDefault(clientReference) + 1;
        }
    }

    /// <summary>Idempotency first, then the behaviour of the destination account decides.</summary>
    public SilkPayDecision Transfer(string idempotencyKey, byte[] body, SilkPayTransferOrder order)
    {
        lock (_gate)
        {
            SettleDue();
            var now = clock.GetUtcNow();
            if (_keys.TryGetValue(idempotencyKey, out var held))
            {
                // Same key, same body: the transfer as it stands. Another body: refused, never a second transfer.
                return held.Body.AsSpan().SequenceEqual(body)
                    ? SilkPayDecision.Answer(200, _transfers[held.TransferId].Reply())
                    : SilkPayDecision.Error(409, SilkPayCodes.IdempotencyKeyReused);
            }

            if (order.Amount > options.MaxAmount)
            {
                return SilkPayDecision.Error(400, SilkPayCodes.AmountTooLarge);
            }

            var behaviour = behaviours.Take(order.AccountNumber, idempotencyKey);
            var delay = behaviour.Delay ?? TimeSpan.Zero;
            switch (behaviour.Mode)
            {
                case SilkPayMode.SlowAfterExecute:
                    return SilkPayDecision.Answer(200, Execute(idempotencyKey, body, order, now).Reply(), behaviour.Delay ?? options.SlowDelay);

                case SilkPayMode.DropAfterExecute:
                    Execute(idempotencyKey, body, order, now);
                    return new SilkPayDecision(SilkPayDelivery.Drop, 0, null, delay);

                case SilkPayMode.Malformed:
                    Execute(idempotencyKey, body, order, now);
                    return new SilkPayDecision(SilkPayDelivery.Malformed, 200, null, delay);

                case SilkPayMode.ServerError:
                    return SilkPayDecision.Error(behaviour.HttpStatus ?? 500, "api_error", delay);

                case SilkPayMode.ExecuteThenServerError:
                    Execute(idempotencyKey, body, order, now);
                    return SilkPayDecision.Error(behaviour.HttpStatus ?? 500, "api_error", delay);

                case SilkPayMode.Error:
                    var status = behaviour.HttpStatus ?? 400;
                    return SilkPayDecision.Error(status, behaviour.ErrorCode ?? SilkPayCodes.DefaultErrorCode(status), delay);

                case SilkPayMode.Throttle:
                    return SilkPayDecision.Error(429, SilkPayCodes.RateLimit, delay, behaviour.RetryAfter ?? DefaultRetryAfter);

                case SilkPayMode.ProcessingThenSettle:
                    var pending = Keep(idempotencyKey, body, new SilkPayTransferRecord(
                        NewId(), idempotencyKey, order, behaviour.PendingStatus ?? SilkPayCodes.Pending, now,
                        SettleAt: now + options.SettleAfter, SettleFailureCode: behaviour.FailureCode));
                    _pending.Add(pending.Id);
                    return SilkPayDecision.Answer(200, pending.Reply(), delay);

                default:
                    return SilkPayDecision.Answer(200, Normal(idempotencyKey, body, order, behaviour.FailureCode, now).Reply(), delay);
            }
        }
    }

    /// <summary>The transfers made under a client_reference (after settling what is due).</summary>
    public IReadOnlyList<TransferReply> List(string clientReference)
    {
        lock (_gate)
        {
            SettleDue();
            return _byReference.TryGetValue(clientReference, out var ids)
                ? [.. ids.Select(id => _transfers[id].Reply())]
                : [];
        }
    }

    /// <summary>Books a transfer as made earlier under its client_reference as key, with a body no compact request matches.</summary>
    public string Hold(SilkPayHeldTransfer held)
    {
        var order = new SilkPayTransferOrder(held.Amount, "cny", held.ClientReference, held.AccountNumber,
            held.AccountHolderName, held.BankCode, held.Description);
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            amount = order.Amount,
            currency = order.Currency,
            client_reference = order.ClientReference,
            destination = new { account_number = order.AccountNumber, account_holder_name = order.AccountHolderName, bank_code = order.BankCode },
            description = order.Description,
        }, HeldBodyJson);
        lock (_gate)
        {
            if (_keys.ContainsKey(held.ClientReference))
            {
                throw new InvalidOperationException($"SilkPay already holds the key {held.ClientReference}.");
            }

            return Execute(held.ClientReference, body, order, clock.GetUtcNow()).Id;
        }
    }

    public IReadOnlyList<SilkPayExecution> Executions()
    {
        lock (_gate)
        {
            SettleDue();

            // A lazily settled transfer is booked at its settlement time, which may precede later lines.
            return [.. _executions.OrderBy(e => e.At)];
        }
    }

    public int ExecutionCount(string clientReference)
    {
        lock (_gate)
        {
            SettleDue();
            return _executionCounts.GetValueOrDefault(clientReference);
        }
    }

    public int RequestCount(string clientReference)
    {
        lock (_gate)
        {
            return _requests.GetValueOrDefault(clientReference);
        }
    }

    /// <summary>Normal: a currency other than cny or a failure code fails the transfer (kept); otherwise it is paid.</summary>
    private SilkPayTransferRecord Normal(string key, byte[] body, SilkPayTransferOrder order, string? failureCode, DateTimeOffset now)
    {
        if (!string.Equals(order.Currency, "cny", StringComparison.Ordinal))
        {
            failureCode = SilkPayCodes.InvalidCurrency;
        }

        return failureCode is null
            ? Execute(key, body, order, now)
            : Keep(key, body, new SilkPayTransferRecord(NewId(), key, order, SilkPayCodes.Failed, now, failureCode));
    }

    /// <summary>Moves the money: one ledger line, the transfer kept as paid.</summary>
    private SilkPayTransferRecord Execute(string key, byte[] body, SilkPayTransferOrder order, DateTimeOffset at)
    {
        var transfer = Keep(key, body, new SilkPayTransferRecord(NewId(), key, order, SilkPayCodes.Paid, at));
        Book(transfer, at);
        return transfer;
    }

    private void Book(SilkPayTransferRecord transfer, DateTimeOffset at)
    {
        var order = transfer.Order;
        _executions.Add(new SilkPayExecution(transfer.Id, transfer.IdempotencyKey, order.ClientReference, order.AccountNumber,
            order.AccountHolderName, order.BankCode, order.Amount, order.Currency, order.Description, at));
        _executionCounts[order.ClientReference] = _executionCounts.GetValueOrDefault(order.ClientReference) + 1;
    }

    /// <summary>Keeps a transfer and the key (with the exact body) it came under.</summary>
    private SilkPayTransferRecord Keep(string key, byte[] body, SilkPayTransferRecord transfer)
    {
        _keys[key] = (body, transfer.Id);
        _transfers[transfer.Id] = transfer;
        if (!_byReference.TryGetValue(transfer.Order.ClientReference, out var ids))
        {
            _byReference[transfer.Order.ClientReference] = ids = [];
        }

        ids.Add(transfer.Id);
        return transfer;
    }

    /// <summary>Settles every pending transfer whose time has come (called under the lock).</summary>
    private void SettleDue()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var due = _pending.Select(id => _transfers[id]).Where(t => t.SettleAt <= now).OrderBy(t => t.SettleAt).ToList();
        foreach (var transfer in due)
        {
            _pending.Remove(transfer.Id);
            var settled = transfer.SettleFailureCode is null
                ? transfer with { Status = SilkPayCodes.Paid, SettleAt = null }
                : transfer with { Status = SilkPayCodes.Failed, FailureCode = transfer.SettleFailureCode, SettleAt = null, SettleFailureCode = null };
            _transfers[transfer.Id] = settled;
            if (settled.Status == SilkPayCodes.Paid)
            {
                Book(settled, transfer.SettleAt!.Value);
            }
        }
    }

    private static string NewId() => "tr_" + Guid.NewGuid().ToString("N")[..24];
}
