using Microsoft.Extensions.Options;

namespace Gateway.Partners;

/// <summary>A partner dialect the gateway knows, and whether configuration enables it.</summary>
public sealed record PartnerDescriptor(string Name, Func<IServiceProvider, PartnerOptions> Options)
{
    public string CodesFile { get; init; } = "";
}

/// <summary>The partners this instance may route to: those whose <c>Partners:&lt;name&gt;:BaseUrl</c> is set.</summary>
public sealed class PartnerRegistry
{
    private readonly Dictionary<string, (PartnerDescriptor Descriptor, PartnerOptions Options)> _enabled;
    private readonly IServiceProvider _services;

    public PartnerRegistry(IEnumerable<PartnerDescriptor> known, IServiceProvider services)
    {
        _services = services;
        _enabled = new Dictionary<string, (PartnerDescriptor, PartnerOptions)>(StringComparer.Ordinal);
        foreach (var descriptor in known)
        {
            var options = descriptor.Options(services);
            if (options.BaseUrl is not null)
            {
                var codes = options.CodesFile ?? Path.Combine(AppContext.BaseDirectory, "Partners",
                    char.ToUpperInvariant(descriptor.Name[0]) + descriptor.Name[1..], $"{descriptor.Name}-codes.json");
                _enabled[descriptor.Name] = (descriptor with { CodesFile = codes }, options);
            }
        }

        Known = [.. known.Select(d => d.Name)];
    }

    public IReadOnlyList<string> Known { get; }

    public IEnumerable<PartnerDescriptor> Enabled => _enabled.Values.Select(e => e.Descriptor);

    public bool IsEnabled(string partner) => _enabled.ContainsKey(partner);

    public PartnerOptions OptionsOf(string partner) => _enabled[partner].Options;

    public IPartnerClient Client(string partner) => _services.GetRequiredKeyedService<IPartnerClient>(partner);
}
