# The control plane: one process hosts the Orleans silo, the REST API and the CDP gateway (src/Api).
# Build from the repository root:
#   docker build -f deploy/docker/control-plane.Dockerfile -t <registry>/ufbrowsers/control-plane:<chart appVersion> .
# It runs as the image's non-root user (uid 1654, the chart's runAsUser) and writes nothing outside /tmp, so the chart
# mounts the root filesystem read-only with an emptyDir at /tmp.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The build installs rrweb from npm (web/package.json): the recorder goes into the silo, the player into the console.
RUN command -v npm >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*)
WORKDIR /src
# Project files first: the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Api/Api.csproj
COPY web/package.json web/package-lock.json web/
COPY src/ src/
RUN dotnet publish src/Api/Api.csproj --configuration Release --no-restore --output /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    HOME=/tmp \
    DOTNET_NOLOGO=1
# HTTP (REST, CDP gateway, probes, metrics), Orleans silo-to-silo, Orleans gateway.
EXPOSE 8080 11111 30000
USER $APP_UID
ENTRYPOINT ["dotnet", "UFBrowsers.Api.dll"]
