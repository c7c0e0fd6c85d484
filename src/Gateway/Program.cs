using Gateway.Auth;
using Gateway.Core;
using Gateway.Diagnosis;
using Gateway.Health;
using Gateway.Hosting;
using Gateway.Partners;
using Gateway.Partners.Chaos;
using Gateway.OpenApi;
using Gateway.Ops;
using Gateway.Payouts;
using Gateway.Proxy;
using Gateway.Recovery;
using Gateway.Storage;
using Gateway.Webhooks;

// Container healthcheck mode (the aspnet image has no curl): one GET, exit 0 on 2xx, 1 otherwise.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSecretFiles();

builder.AddGatewayLogging();
builder.CheckSettingValues(
    (PayoutsOptions.Section, typeof(PayoutsOptions)),
    (RecoveryOptions.Section, typeof(RecoveryOptions)),
    (StateStoreOptions.Section, typeof(StateStoreOptions)),
    (ShutdownOptions.Section, typeof(ShutdownOptions)),
    (ProxyOptions.Section, typeof(ProxyOptions)),
    (OpsOptions.Section, typeof(OpsOptions)),
    ("Partners:*", typeof(PartnerOptions)),
    (ChaosOptions.Section, typeof(ChaosOptions)),
    ("Chaos:Partners:*", typeof(ChaosPartnerOptions)),
    (WebhookDeliveryOptions.Section, typeof(WebhookDeliveryOptions)),
    ("Webhooks:*", typeof(WebhookClientOptions)));
builder.AddManagementPort();
builder.Services.AddGatewayProblemDetails();
builder.Services.AddGracefulShutdown(builder.Configuration);
builder.Services.AddApiKeyAuthentication(builder.Configuration);
builder.Services.AddStateStore(builder.Configuration);
builder.Services.AddPayoutState();
builder.Services.AddQuotaBuckets();
builder.Services.AddDiagnosis();
builder.Services.AddPartners(builder.Configuration);
builder.Services.AddPayouts(builder.Configuration);
builder.Services.AddRecovery(builder.Configuration);
builder.Services.AddPartnerProxy(builder.Configuration);
builder.Services.AddOps(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddGatewayTelemetry();
builder.Services.AddGatewayHealthChecks();
builder.Services.AddGatewayOpenApi();

var app = builder.Build();

app.UseGatewayRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapGatewayHealthChecks();
app.MapPayoutsApi();
app.MapWebhooksApi();
app.MapPartnerProxy();
app.MapDiagnosticsApi();
app.MapStateStoreOperations();
app.MapOpsPage();
app.MapManagementEndpoints();
app.MapGatewayApiReference();

// Every configuration error of every option at once, readable, exit code 1 (StartupErrors).
await using (app)
{
    try
    {
        await app.StartAsync();
    }
    catch (Exception ex) when (StartupErrors.IsOwnProcess && StartupErrors.Of(ex) is { Count: > 0 } errors)
    {
        return StartupErrors.Report(StartupErrors.WithEveryOption(app.Services, errors),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Startup"));
    }

    await app.WaitForShutdownAsync();
}

return 0;

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
