using System.Globalization;
using System.Reflection;
using Gateway.Core;
using Gateway.Hosting;
using Gateway.Ops;
using Gateway.Partners;
using Gateway.Proxy;
using Gateway.Storage;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Hosting;

/// <summary>
/// appsettings.json writes down the documented defaults: every value equals the options class's own
/// default, every setting it names exists, and it turns nothing on (no partner, no quota, no client
/// rate limit, no secret, no chaos).
/// </summary>
public sealed class AppSettingsTests
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (PayoutsOptions.Section, typeof(PayoutsOptions)),
        (RecoveryOptions.Section, typeof(RecoveryOptions)),
        (StateStoreOptions.Section, typeof(StateStoreOptions)),
        (ShutdownOptions.Section, typeof(ShutdownOptions)),
        (ProxyOptions.Section, typeof(ProxyOptions)),
        (OpsOptions.Section, typeof(OpsOptions)),
        ("Partners:ycb", typeof(PartnerOptions)),
        ("Partners:prb", typeof(PartnerOptions)),
        ("Partners:silkpay", typeof(PartnerOptions)),
        (Gateway.Partners.Chaos.ChaosOptions.Section, typeof(Gateway.Partners.Chaos.ChaosOptions)),
        (Gateway.Webhooks.WebhookDeliveryOptions.Section, typeof(Gateway.Webhooks.WebhookDeliveryOptions)),
    ];

    /// <summary>Settings whose presence changes behaviour: they must not be in appsettings.json.</summary>
    private static readonly System.Text.RegularExpressions.Regex Forbidden = new(
        @"^(Partners:[^:]+:(BaseUrl|RateLimit|CodesFile|AppId|AppSecret|Token|SecretKey)|Payouts:(ClientRateLimit|IdSecret|PreviousIdSecrets)|Chaos:Partners|Auth|ConnectionStrings|Routing|Management|Diagnosis)(:|$)",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static IConfiguration AppSettings(string file) =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(SourceFolder(), file), optional: false).Build();

    internal static string SourceFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "Gateway");
            if (File.Exists(Path.Combine(candidate, "Gateway.csproj")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/Gateway not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void AppSettings_EveryValueEqualsTheOptionsDefault()
    {
        var configuration = AppSettings("appsettings.json");
        var differences = new List<string>();
        foreach (var (section, type) in Sections)
        {
            var bound = Activator.CreateInstance(type)!;
            configuration.GetSection(section).Bind(bound);
            Compare(section, type, bound, Activator.CreateInstance(type)!, configuration, differences);
        }

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public void AppSettings_NamesOnlyKnownSettings_AndTurnsNothingOn()
    {
        var configuration = AppSettings("appsettings.json");
        var leaves = configuration.AsEnumerable().Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();

        var unknown = leaves.Where(key => !Known(key)).ToList();
        var forbidden = leaves.Where(key => Forbidden.IsMatch(key)).ToList();

        Assert.True(unknown.Count == 0, "not an option: " + string.Join(", ", unknown));
        Assert.True(forbidden.Count == 0, "changes behaviour or is a secret: " + string.Join(", ", forbidden));
        Assert.Equal("json", configuration["Logging:Format"]);
    }

    [Fact]
    public void AppSettingsDevelopment_HoldsOnlySandboxCredentials()
    {
        var configuration = AppSettings("appsettings.Development.json");
        var secrets = configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && (kv.Key.Contains("Secret", StringComparison.Ordinal) || kv.Key.Contains("Token", StringComparison.Ordinal)
                || kv.Key.StartsWith("Auth:", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, kv => Assert.Matches("not-real|not_real|not-secret", kv.Value!));
        Assert.StartsWith("127.0.0.1:6379", configuration["ConnectionStrings:Redis"], StringComparison.Ordinal);
    }

    private static bool Known(string key)
    {
        if (key is "Logging:Format" or "Serilog:MinimumLevel:Default")
        {
            return true;
        }

        foreach (var (section, type) in Sections)
        {
            if (key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase) && HasProperty(type, key[(section.Length + 1)..].Split(':')))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasProperty(Type type, IReadOnlyList<string> path)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is not null && (path.Count == 1 || HasProperty(property.PropertyType, path.Skip(1).ToList()));
    }

    private static void Compare(string path, Type type, object bound, object defaults, IConfiguration configuration, List<string> differences)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{path}:{property.Name}";
            var value = property.GetValue(bound);
            var expected = property.GetValue(defaults);
            var scalar = property.PropertyType.IsValueType || property.PropertyType == typeof(string) || property.PropertyType == typeof(Uri);
            if (scalar)
            {
                if (!Equals(value, expected))
                {
                    differences.Add($"{key}: appsettings.json says {Format(value)}, the code's default is {Format(expected)}");
                }
                else if (configuration[key] is null && property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
                {
                    differences.Add($"{key}: documented default {Format(expected)} missing from appsettings.json");
                }
            }
            else if (value is not null && expected is not null && !typeof(System.Collections.IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                Compare(key, property.PropertyType, value, expected, configuration, differences);
            }
            else if (value is not null && expected is null)
            {
                differences.Add($"{key}: set in appsettings.json, but it has no default (its presence turns it on)");
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "(none)",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
