using System.Globalization;

namespace Simulators.Prb;

/// <summary>What the endpoint sends back for one transfer request.</summary>
internal enum PrbDelivery
{
    Answer,
    Drop,
    Malformed,
}

internal sealed record PrbDecision(int Status, object? Body, PrbDelivery Delivery = PrbDelivery.Answer, TimeSpan Delay = default, int? RetryAfterSeconds = null);

/// <summary>A credit transfer the simulated bank will order, as read from the request.</summary>
internal sealed record PrbOrder(string MsgId, string EndToEndId, decimal Amount, string Currency, string Account);

/// <summary>
/// The simulated Pearl River Bank's books: one record per endToEndId (a reused endToEndId is
/// refused 409 DUPL and never executes twice), the ledger of executed transfers, and settlement
/// of pending ones when they are due. Thread-safe.
/// </summary>
internal sealed class PrbBank(PrbBehaviours behaviours, TimeProvider clock, PrbSimulatorOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Transfer> _transfers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<PrbExecution> _executions = [];
    private long _sequence;

    public void CountRequest(string endToEndId)
    {
        lock (_gate)
        {
            _requests[endToEndId] = _requests.GetValueOrDefault(endToEndId) + 1;
        }
    }

    public int RequestCount(string endToEndId)
    {
        lock (_gate)
        {
            return _requests.GetValueOrDefault(endToEndId);
        }
    }

    public IReadOnlyList<PrbExecution> Executions()
    {
        lock (_gate)
        {
            SettleDue();
            return [.. _executions];
        }
    }

    public int ExecutionCount(string endToEndId)
    {
        lock (_gate)
        {
            SettleDue();
            return _executions.Count(e => e.EndToEndId == endToEndId);
        }
    }

    public PrbDecision Order(PrbOrder order)
    {
        lock (_gate)
        {
            if (_transfers.TryGetValue(order.EndToEndId, out var held))
            {
                return new PrbDecision(409, new PrbReport(order.EndToEndId, "RJCT", held.Reference,
                    new PrbReasonInfo(new PrbReasonCode("DUPL", null), "endToEndId already received")));
            }

            var behaviour = behaviours.Take(order.Account, order.EndToEndId);
            switch (behaviour.Mode)
            {
                case PrbMode.Throttle:
                    return new PrbDecision(429, new PrbErrorReply("THROTTLED", "too many requests"), RetryAfterSeconds: 1);
                case PrbMode.Maintenance:
                    return new PrbDecision(503, new PrbErrorReply("MAINTENANCE", "scheduled maintenance window"), RetryAfterSeconds: 30);
                case PrbMode.FormatError:
                    return new PrbDecision(400, new PrbErrorReply("FF01", "message cannot be read"));
                case PrbMode.ServerError:
                    return new PrbDecision(500, new PrbErrorReply("INTERNAL", "internal error"));
                case PrbMode.SlowWithoutExecuting:
                    return new PrbDecision(500, new PrbErrorReply("INTERNAL", "internal error"), Delay: behaviour.Delay ?? options.SlowDelay);
                case PrbMode.Normal when behaviour.Cd is not null || behaviour.Prtry is not null:
                    var rejected = Record(order, "RJCT", new PrbReasonCode(behaviour.Cd, behaviour.Prtry));
                    return new PrbDecision(200, Report(rejected));
                case PrbMode.ProcessingThenSettle:
                    var pending = Record(order, "PDNG", null);
                    pending.SettleAt = clock.GetUtcNow() + options.SettleAfter;
                    pending.SettleCd = behaviour.SettleCd;
                    return new PrbDecision(200, Report(pending));
            }

            var executed = Execute(Record(order, "ACSC", null));
            return behaviour.Mode switch
            {
                PrbMode.SlowAfterExecute => new PrbDecision(200, Report(executed), Delay: behaviour.Delay ?? options.SlowDelay),
                PrbMode.DropAfterExecute => new PrbDecision(200, null, PrbDelivery.Drop),
                PrbMode.Malformed => new PrbDecision(200, null, PrbDelivery.Malformed),
                PrbMode.ExecuteThenServerError => new PrbDecision(500, new PrbErrorReply("INTERNAL", "internal error")),
                _ => new PrbDecision(200, Report(executed), Delay: behaviour.Delay ?? TimeSpan.Zero),
            };
        }
    }

    /// <summary>The pain.002 for an endToEndId, or null when the bank never received it.</summary>
    public PrbReport? Status(string endToEndId)
    {
        lock (_gate)
        {
            SettleDue();
            return _transfers.TryGetValue(endToEndId, out var transfer) ? Report(transfer) : null;
        }
    }

    private Transfer Record(PrbOrder order, string status, PrbReasonCode? reason)
    {
        var transfer = new Transfer(order)
        {
            Status = status,
            Reason = reason,
            Reference = "PRB-" + Interlocked.Increment(ref _sequence).ToString("D7", CultureInfo.InvariantCulture),
        };
        _transfers[order.EndToEndId] = transfer;
        return transfer;
    }

    private Transfer Execute(Transfer transfer)
    {
        transfer.Status = "ACSC";
        _executions.Add(new PrbExecution(transfer.Order.EndToEndId, transfer.Order.MsgId, transfer.Order.Amount,
            transfer.Order.Currency, transfer.Order.Account, transfer.Reference, clock.GetUtcNow()));
        return transfer;
    }

    private void SettleDue()
    {
        var now = clock.GetUtcNow();
        foreach (var transfer in _transfers.Values.Where(t => t.Status == "PDNG" && t.SettleAt <= now))
        {
            if (transfer.SettleCd is { } cd)
            {
                transfer.Status = "RJCT";
                transfer.Reason = new PrbReasonCode(cd, null);
            }
            else
            {
                Execute(transfer);
            }
        }
    }

    private static PrbReport Report(Transfer transfer) => new(
        transfer.Order.EndToEndId,
        transfer.Status,
        transfer.Status == "RJCT" ? null : transfer.Reference,
        transfer.Reason is null ? null : new PrbReasonInfo(transfer.Reason, "rejected by the simulated bank"));

    private sealed class Transfer(PrbOrder order)
    {
        public PrbOrder Order { get; } = order;
        public required string Status { get; set; }
        public required string Reference { get; init; }
        public PrbReasonCode? Reason { get; set; }
        public DateTimeOffset? SettleAt { get; set; }
        public string? SettleCd { get; set; }
    }
}
