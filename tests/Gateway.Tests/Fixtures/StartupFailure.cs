namespace Gateway.Tests.Fixtures;

/// <summary>
/// What a gateway configured with some settings says when it refuses to start, as the messages
/// of the exceptions its start threw. WebApplicationFactory can race a failed start against the
/// disposal of its deferred host and throw <see cref="ObjectDisposedException"/> instead of the
/// start's own exception; that is the test host's, not the gateway's (a real process exits with
/// the configuration error: see <c>StartupValidationTests.Start_RealProcessWithABadSetting_ExitsNamingIt</c>),
/// so such a start is tried again, at most three times.
/// </summary>
public static class StartupFailure
{
    public static string Of(IReadOnlyDictionary<string, string?> settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var gateway = new GatewayFactory(settings);
            var error = Assert.ThrowsAny<Exception>(() => gateway.Server);
            if (error is ObjectDisposedException && attempt < 3)
            {
                continue;
            }

            return error is AggregateException aggregate
                ? string.Join("\n", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
                : error.ToString();
        }
    }
}
