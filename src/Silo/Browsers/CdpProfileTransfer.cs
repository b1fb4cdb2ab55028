using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UFBrowsers.Grains;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Profiles;

namespace UFBrowsers.Silo.Browsers;

/// <summary>
/// Profile state in and out of a browser over the control plane's own CDP connection (<see cref="CdpClient"/>), so the same
/// code serves local and Kubernetes pods: cookies with <c>Storage.getCookies</c>/<c>Storage.setCookies</c> (HttpOnly ones
/// included, which no page script sees), localStorage origin by origin through an <see cref="OriginPage"/>.
/// </summary>
public sealed class CdpProfileTransfer(
    IOptions<ProfileOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<CdpProfileTransfer> logger) : IBrowserProfileTransfer
{
    public async Task RestoreAsync(PodLease pod, ProfileState state, CancellationToken cancellationToken)
    {
        await using var cdp = await CdpClient.ConnectAsync(pod, cancellationToken);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var cookies = state.Cookies.Where(c => c.Session || c.Expires > now).Select(CookieParam).ToList();
        if (cookies.Count > 0)
        {
            await cdp.SendAsync("Storage.setCookies", new JsonObject { ["cookies"] = new JsonArray([.. cookies]) }, cancellationToken: cancellationToken);
        }

        if (state.Origins.Count == 0)
        {
            return;
        }

        await using var page = await OriginPage.OpenAsync(cdp, cancellationToken);
        foreach (var origin in state.Origins.Take(options.Value.MaxOrigins))
        {
            var restored = await WithinOriginTimeout(origin.Origin, cancellationToken, async limit =>
            {
                if (!await page.NavigateAsync(origin.Origin, limit))
                {
                    return false;
                }

                await page.WriteLocalStorageAsync(origin.LocalStorage, limit);
                return true;
            });
            if (!restored)
            {
                logger.LogWarning("Profile origin {Origin} could not be opened; its localStorage was not restored", origin.Origin);
            }
        }
    }

    public async Task<ProfileState> CaptureAsync(PodLease pod, ProfileState previous, CancellationToken cancellationToken)
    {
        await using var cdp = await CdpClient.ConnectAsync(pod, cancellationToken);
        var cookies = (await cdp.SendAsync("Storage.getCookies", new { }, cancellationToken: cancellationToken))
            .GetProperty("cookies").EnumerateArray().Select(ReadCookie).ToList();
        var targets = (await cdp.SendAsync("Target.getTargets", new { }, cancellationToken: cancellationToken))
            .GetProperty("targetInfos").EnumerateArray()
            .Where(t => t.GetProperty("type").GetString() is "page" or "iframe")
            .Select(t => ProfileState.Origin(t.GetProperty("url").GetString()));
        var candidates = previous.Origins.Select(o => o.Origin).Concat(targets).Concat(new ProfileState(cookies, []).CookieOrigins())
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count > options.Value.MaxOrigins)
        {
            logger.LogWarning("The browser's state names {Count} origins; the localStorage of the first {Max} is kept", candidates.Count, options.Value.MaxOrigins);
        }

        var origins = new List<OriginStorage>();
        if (candidates.Count > 0)
        {
            await using var page = await OriginPage.OpenAsync(cdp, cancellationToken);
            foreach (var origin in candidates.Take(options.Value.MaxOrigins))
            {
                IReadOnlyList<KeyValuePair<string, string>>? items = null;
                var reached = await WithinOriginTimeout(origin, cancellationToken, async limit =>
                {
                    if (!await page.NavigateAsync(origin, limit))
                    {
                        return false;
                    }

                    items = await page.ReadLocalStorageAsync(limit);
                    return true;
                });
                if (!reached)
                {
                    // Not read now: what the profile held for it stays (a lost origin is worse than a stale one).
                    items = previous.Origins.FirstOrDefault(o => o.Origin == origin)?.LocalStorage;
                }

                if (items is { Count: > 0 })
                {
                    origins.Add(new OriginStorage(origin, items));
                }
            }
        }

        return new ProfileState(cookies, origins);
    }

    /// <summary>
    /// One origin's work within its own time limit: an origin that hangs or that the browser refuses is skipped (false) and the
    /// others go on; a connection that ended, or the caller's own deadline, ends the whole transfer.
    /// </summary>
    private async Task<bool> WithinOriginTimeout(string origin, CancellationToken cancellationToken, Func<CancellationToken, Task<bool>> work)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Value.OriginTimeout);
        try
        {
            return await work(limit.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or CdpException { Code: not null })
        {
            logger.LogWarning(ex, "The localStorage of {Origin} could not be reached; skipped", origin);
            return false;
        }
    }

    private static BrowserCookie ReadCookie(JsonElement c)
    {
        string? Text(string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var partition = c.TryGetProperty("partitionKey", out var key) && key.ValueKind == JsonValueKind.Object ? key : (JsonElement?)null;
        return new BrowserCookie(
            c.GetProperty("name").GetString()!,
            c.GetProperty("value").GetString()!,
            c.GetProperty("domain").GetString()!,
            c.GetProperty("path").GetString()!,
            c.GetProperty("expires").GetDouble(),
            c.GetProperty("httpOnly").GetBoolean(),
            c.GetProperty("secure").GetBoolean(),
            c.GetProperty("session").GetBoolean(),
            Text("sameSite"),
            Text("priority"),
            Text("sourceScheme"),
            c.TryGetProperty("sourcePort", out var port) && port.TryGetInt32(out var p) ? p : null,
            partition?.TryGetProperty("topLevelSite", out var site) == true ? site.GetString() : null,
            partition?.TryGetProperty("hasCrossSiteAncestor", out var cross) == true ? cross.GetBoolean() : null);
    }

    /// <summary>
    /// A <c>Storage.setCookies</c> entry that makes the cookie again as it was: a host-only cookie is set by URL (a domain
    /// would make it a domain cookie, sent to subdomains too), a domain cookie by its domain.
    /// </summary>
    private static JsonObject CookieParam(BrowserCookie cookie)
    {
        var param = new JsonObject
        {
            ["name"] = cookie.Name,
            ["value"] = cookie.Value,
            ["path"] = cookie.Path,
            ["secure"] = cookie.Secure,
            ["httpOnly"] = cookie.HttpOnly,
        };
        if (cookie.HostOnly)
        {
            var scheme = cookie.Secure || cookie.SourceScheme == "Secure" ? "https" : "http";
            var host = cookie.Host.Contains(':', StringComparison.Ordinal) ? $"[{cookie.Host}]" : cookie.Host;
            param["url"] = $"{scheme}://{host}{cookie.Path}";
        }
        else
        {
            param["domain"] = cookie.Domain;
        }

        if (!cookie.Session)
        {
            param["expires"] = cookie.Expires;
        }

        if (cookie.SameSite is { } sameSite)
        {
            param["sameSite"] = sameSite;
        }

        if (cookie.Priority is { } priority)
        {
            param["priority"] = priority;
        }

        if (cookie.SourceScheme is { } sourceScheme)
        {
            param["sourceScheme"] = sourceScheme;
        }

        if (cookie.SourcePort is { } sourcePort)
        {
            param["sourcePort"] = sourcePort;
        }

        if (cookie.PartitionTopLevelSite is { } topLevelSite)
        {
            param["partitionKey"] = new JsonObject { ["topLevelSite"] = topLevelSite, ["hasCrossSiteAncestor"] = cookie.PartitionHasCrossSiteAncestor ?? false };
        }

        return param;
    }
}
