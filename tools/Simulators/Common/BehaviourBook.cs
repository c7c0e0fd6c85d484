namespace Simulators.Common;

/// <summary>
/// A simulator's behaviours in force, with their remaining uses (thread-safe): one set explicitly
/// for an account wins and is used up <c>Times</c> times; otherwise the account's magic number
/// (<see cref="MagicFor"/>) decides, its "once" behaviours counted per (account, partner reference)
/// so every new payout to a magic number tells the same story; otherwise Normal.
/// </summary>
internal abstract class BehaviourBook<TBehaviour>
    where TBehaviour : class
{
    public const string MagicPrefix = "6299";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (TBehaviour Behaviour, int Remaining)> _explicit = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, string Reference), int> _magicUses = [];

    protected abstract TBehaviour Normal { get; }

    protected abstract int TimesOf(TBehaviour behaviour);

    /// <summary>The magic-number behaviour of an account, if any.</summary>
    protected abstract TBehaviour? MagicFor(string accountNumber);

    public void Set(string accountNumber, TBehaviour behaviour)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountNumber);
        ArgumentNullException.ThrowIfNull(behaviour);
        lock (_gate)
        {
            _explicit[accountNumber] = (behaviour, TimesOf(behaviour));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _explicit.Clear();
            _magicUses.Clear();
        }
    }

    /// <summary>The behaviour for one request carrying <paramref name="reference"/>; uses up one of its <c>Times</c>.</summary>
    public TBehaviour Take(string accountNumber, string reference)
    {
        lock (_gate)
        {
            if (_explicit.TryGetValue(accountNumber, out var entry))
            {
                if (entry.Remaining <= 0)
                {
                    return Normal;
                }

                _explicit[accountNumber] = entry with { Remaining = entry.Remaining - 1 };
                return entry.Behaviour;
            }

            var magic = MagicFor(accountNumber);
            if (magic is null)
            {
                return Normal;
            }

            var times = TimesOf(magic);
            if (times == int.MaxValue)
            {
                return magic;
            }

            var key = (accountNumber, reference);
            var used = _magicUses.GetValueOrDefault(key);
            if (used >= times)
            {
                return Normal;
            }

            _magicUses[key] = used + 1;
            return magic;
        }
    }

    /// <summary>The behaviour in force for an account, without using it up.</summary>
    public TBehaviour Peek(string accountNumber)
    {
        lock (_gate)
        {
            if (_explicit.TryGetValue(accountNumber, out var entry))
            {
                return entry.Remaining > 0 ? entry.Behaviour : Normal;
            }

            return MagicFor(accountNumber) ?? Normal;
        }
    }

    /// <summary>The last four digits of a magic account number (6299…, at least 8 characters), else null.</summary>
    public static string? MagicDigits(string accountNumber) =>
        accountNumber.Length < 8
        || !accountNumber.StartsWith(MagicPrefix, StringComparison.Ordinal)
        || accountNumber.AsSpan(accountNumber.Length - 4).ContainsAnyExceptInRange('0', '9')
            ? null
            : accountNumber[^4..];
}
