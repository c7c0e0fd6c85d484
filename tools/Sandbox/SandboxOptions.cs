using System.Globalization;

namespace Sandbox;

/// <summary>
/// The sandbox's command line: <c>--gateway &lt;Gateway.dll&gt;</c> (required), <c>--instances N</c>
/// (gateway processes sharing one Redis, 1..5, default 1) and <c>--redis single|cluster</c>
/// (one redis-server, or a three-primary Redis Cluster; default single) and <c>--keep</c> (leave the
/// stack up after the demo, for a person to use, until Ctrl-C or <see cref="KeepAtMost"/>).
/// </summary>
internal sealed record SandboxOptions(string GatewayDll, int Instances, bool Cluster, bool Keep = false)
{
    public const string Usage = "usage: Sandbox --gateway <path to Gateway.dll> [--instances 1..5] [--redis single|cluster] [--keep]";

    /// <summary>How long <c>--keep</c> leaves the stack up at most, so a forgotten sandbox does not run for ever.</summary>
    public static readonly TimeSpan KeepAtMost = TimeSpan.FromHours(1);

    /// <summary>Reads the arguments; throws an <see cref="ArgumentException"/> carrying <see cref="Usage"/> when they are wrong.</summary>
    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        string? gateway = null;
        var instances = 1;
        var redis = "single";
        var keep = false;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--keep")
            {
                keep = true;
                continue;
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            switch (args[i])
            {
                case "--gateway":
                    gateway = value;
                    break;
                case "--instances" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5:
                    instances = n;
                    break;
                case "--redis" when value is "single" or "cluster":
                    redis = value;
                    break;
                default:
                    throw new ArgumentException($"unexpected argument {args[i]} {value}. {Usage}");
            }

            i++;
        }

        return new SandboxOptions(gateway ?? throw new ArgumentException(Usage), instances, redis == "cluster", keep);
    }
}
