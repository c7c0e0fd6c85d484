using System.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Partners;

/// <summary>
/// Outside Development a partner's <c>BaseUrl</c> must be https: the gateway sends account
/// numbers, names and its credentials there. A loopback address (127.0.0.0/8, ::1, localhost)
/// is allowed over http in any environment, since that traffic never leaves the machine (a
/// sidecar, the sandbox's simulators).
/// </summary>
internal sealed class PartnerTransportValidator<TOptions>(string partner, IHostEnvironment environment) : IValidateOptions<TOptions>
    where TOptions : PartnerOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || environment.IsDevelopment()
            || url.Scheme == Uri.UriSchemeHttps || IsLoopback(url))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"Partners:{partner}:BaseUrl must be https outside Development (it is {url.Scheme}://{url.Host}); http is allowed only to a loopback address.");
    }

    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
