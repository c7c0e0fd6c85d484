using Gateway.Health;

namespace Balancer;

// The balancer in front of the gateway replicas (docker-compose.yml):
//   Balancer [--urls http://0.0.0.0:8080]   destinations: ReverseProxy__Clusters__gateways__Destinations__g1__Address=http://gateway-1:8080/
//   Balancer --health URL [URL...]           container healthcheck: exit 0 when every URL answers 2xx
internal static class BalancerProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
        {
            return await HealthProbe.RunAsync(args);
        }

        await using var app = BalancerApp.Create(args);
        await app.RunAsync();
        return 0;
    }
}
