# One recipe, three images (docker-compose.yml picks the target): gateway, simulators, balancer.
# Restore runs on the project files alone, so a source change reuses the restored packages layer.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY tools/Simulators/Simulators.csproj tools/Simulators/
COPY tools/Balancer/Balancer.csproj tools/Balancer/
RUN dotnet restore src/Gateway/Gateway.csproj \
 && dotnet restore tools/Simulators/Simulators.csproj \
 && dotnet restore tools/Balancer/Balancer.csproj

# One build stage per image: each copies only the sources it compiles (.editorconfig: the
# analyzers' settings, warnings are errors). The simulators and the balancer compile the
# gateway's Health/HealthProbe.cs (the --health mode) as a linked file.
FROM restore AS build-gateway
COPY .editorconfig ./
COPY src/Gateway/ src/Gateway/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release --no-restore -o /out

FROM restore AS build-simulators
COPY .editorconfig ./
COPY src/Gateway/Health/HealthProbe.cs src/Gateway/Health/
COPY tools/Simulators/ tools/Simulators/
RUN dotnet publish tools/Simulators/Simulators.csproj -c Release --no-restore -o /out

FROM restore AS build-balancer
COPY .editorconfig ./
COPY src/Gateway/Health/HealthProbe.cs src/Gateway/Health/
COPY tools/Balancer/ tools/Balancer/
RUN dotnet publish tools/Balancer/Balancer.csproj -c Release --no-restore -o /out

# The final images: the ASP.NET runtime and one published app each, run as the image's
# non-root "app" user. No curl in these images: healthchecks run "dotnet X.dll --health URL".
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
COPY --from=build-gateway /out .
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Gateway.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulators
WORKDIR /app
COPY --from=build-simulators /out .
USER app
EXPOSE 5101 5102 5103
ENTRYPOINT ["dotnet", "Simulators.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS balancer
WORKDIR /app
COPY --from=build-balancer /out .
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Balancer.dll"]
