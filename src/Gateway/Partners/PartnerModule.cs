using Microsoft.Extensions.Options;
using Gateway.Partners.Chaos;
using Refit;

namespace Gateway.Partners;

/// <summary>
/// A partner dialect the gateway speaks, as its one registration declares it
/// (<see cref="PartnerModules.AddPartner{TOptions, TApi, TClient}"/>): its name, its own codes file,
/// and how to build its options, adapter and pass-through credentials. <see cref="PartnerRegistry"/>
/// turns each enabled one into a <see cref="Partner"/> at start-up.
/// </summary>
public sealed class PartnerModule
{
    internal PartnerModule(string name, string codesFile, Func<IServiceProvider, PartnerOptions> options,
        Func<IServiceProvider, PartnerWire, IPartnerClient> client, Func<IServiceProvider, IPartnerProxyCredentials>? proxyCredentials)
    {
        Name = name;
        CodesFile = codesFile;
        Options = options;
        Client = client;
        ProxyCredentials = proxyCredentials;
    }

    public string Name { get; }

    /// <summary>The dialect's code table, relative to the binary's folder, exactly as the module names it (no casing convention).</summary>
    public string CodesFile { get; }

    internal Func<IServiceProvider, PartnerOptions> Options { get; }

    internal Func<IServiceProvider, PartnerWire, IPartnerClient> Client { get; }

    internal Func<IServiceProvider, IPartnerProxyCredentials>? ProxyCredentials { get; }

    /// <summary>The codes file to load: <see cref="PartnerOptions.CodesFile"/> when set, else the module's own, beside the binary.</summary>
    internal string CodesPath(PartnerOptions options) =>
        Path.Combine(AppContext.BaseDirectory, options.CodesFile ?? CodesFile);
}

public static class PartnerModules
{
    /// <summary>
    /// One partner dialect, in one call: its options (bound from <c>Partners:&lt;name&gt;</c>, validated
    /// at start-up), its Refit API (<typeparamref name="TApi"/>, with <see cref="PartnerWire.Refit"/>,
    /// the partner's BaseUrl and no HttpClient timeout: timeouts belong to the pipeline, which knows
    /// attempt from total), its adapter <typeparamref name="TClient"/> (built once, given the
    /// partner's <see cref="PartnerWire"/>), its codes file and its pass-through credentials.
    /// </summary>
    /// <param name="codesFile">The dialect's codes file, relative to the binary's folder, e.g. <c>Partners/SilkPay/silkpay-codes.json</c>.</param>
    /// <param name="http">The dialect's own message handlers (signing, authentication).</param>
    /// <param name="proxyCredentials">How pass-through calls are authenticated; null when none are allowed.</param>
    internal static IServiceCollection AddPartner<TOptions, TApi, TClient>(this IServiceCollection services, string name,
        IConfiguration configuration, string codesFile, Action<IHttpClientBuilder>? http = null,
        Func<IServiceProvider, IPartnerProxyCredentials>? proxyCredentials = null)
        where TOptions : PartnerOptions
        where TApi : class
        where TClient : class, IPartnerClient
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection($"Partners:{name}")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new PartnerOptionsValidator<TOptions>(name));
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new PartnerTransportValidator<TOptions>(name, sp.GetRequiredService<IHostEnvironment>()));
        var client = services.AddRefitGeneratedClient<TApi>(PartnerWire.Refit)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<TOptions>>().Value.BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // PartnerLog records every attempt (partner, payout, outcome, duration); the factory's
            // own request logging would only repeat it, at a cost on every call.
            .RemoveAllLoggers()
            // The adapter (and so its HttpClient) lives as long as the Partner: connections are
            // recycled instead, so a partner's DNS change is picked up within two minutes. Partners
            // get no trace context (PartnerTracePolicy), though the call is traced here.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ActivityHeadersPropagator = PartnerTracePolicy.Propagator,
            });
        http?.Invoke(client);
        // Game-day chaos (Chaos:Partners:<name>), when on: innermost, after the dialect's signing, where the request leaves.
        client.AddChaos(name);
        services.AddSingleton(new PartnerModule(name, codesFile,
            sp => sp.GetRequiredService<IOptions<TOptions>>().Value,
            (sp, wire) => ActivatorUtilities.CreateInstance<TClient>(sp, wire),
            proxyCredentials));
        return services;
    }

    /// <summary>A bearer token from the dialect's options on every request of its adapter.</summary>
    internal static IHttpClientBuilder AddBearerToken<TOptions>(this IHttpClientBuilder http, Func<TOptions, string> token)
        where TOptions : PartnerOptions =>
        http.AddHttpMessageHandler(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TOptions>>();
            return new BearerTokenHandler(() => token(options.Value));
        });
}
