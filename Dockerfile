# One image recipe for the gateway and the partner simulators (docker-compose.yml picks the target).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /out/gateway \
 && dotnet publish src/Simulators/Simulators.csproj -c Release -o /out/simulators

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
COPY --from=build /out/gateway .
USER app
ENTRYPOINT ["dotnet", "Gateway.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulators
WORKDIR /app
COPY --from=build /out/simulators .
USER app
ENTRYPOINT ["dotnet", "Simulators.dll"]
