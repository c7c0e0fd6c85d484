namespace Gateway.Ops;

public static class OpsSetup
{
    public static IServiceCollection AddOps(this IServiceCollection services)
    {
        services.AddSingleton<OutcomeStats>();
        return services;
    }
}
