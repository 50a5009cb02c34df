# NewsBot container: build with the SDK, run on the ASP.NET runtime (Kestrel serves /healthz and webhooks).
#   docker build -t newsbot .
#   docker run -d --name newsbot -v newsbot-data:/data -e NewsBot__Telegram__Token=... -p 8080:8080 newsbot
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/NewsBot -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The database and nothing else lives on the volume.
ENV NewsBot__Database=/data/newsbot.db \
    NewsBot__Http__Urls=http://0.0.0.0:8080 \
    NewsBot__Telemetry__LogFormat=json \
    NewsBot__Console__Enabled=off \
    MALLOC_ARENA_MAX=2 \
    DOTNET_GCgen0size=0x600000
VOLUME /data
EXPOSE 8080
USER app
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s CMD ["dotnet", "/app/newsbot.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/newsbot.dll"]
