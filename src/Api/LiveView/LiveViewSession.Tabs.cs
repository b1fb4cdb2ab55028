using System.Text.Json;
using System.Text.Json.Nodes;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Api.LiveView;

/// <summary>Which tab the view shows: the browser's targets as they come and go, and the one a person would look at.</summary>
internal sealed partial class LiveViewSession
{
    private void OnEvent(CdpEvent e)
    {
        switch (e.Method)
        {
            case "Page.screencastFrame":
                OnFrame(e);
                break;
            case "Target.targetCreated":
                bool isNewPage;
                lock (_lock)
                {
                    isNewPage = Track(e.Params.GetProperty("targetInfo")) && _followNewTabs;
                }

                if (isNewPage)
                {
                    // A new tab is what a person would be looking at now.
                    _ = FollowAsync(e.Params.GetProperty("targetInfo").GetProperty("targetId").GetString(), CancellationToken.None);
                }

                break;
            case "Target.targetInfoChanged":
                string? follow = null;
                lock (_lock)
                {
                    var info = e.Params.GetProperty("targetInfo");
                    if (Track(info) && _tab is { } current && _tabs.TryGetValue(current, out var shown) && shown.Url == "about:blank"
                        && info.GetProperty("targetId").GetString() != current && info.GetProperty("url").GetString() != "about:blank")
                    {
                        follow = info.GetProperty("targetId").GetString();
                    }
                }

                if (follow is not null)
                {
                    _ = FollowAsync(follow, CancellationToken.None);
                }

                Broadcast(TabsMessage());
                break;
            case "Target.targetDestroyed":
                bool wasShown;
                lock (_lock)
                {
                    var gone = e.Params.GetProperty("targetId").GetString()!;
                    _tabs.Remove(gone);
                    _recentTabs.Remove(gone);
                    wasShown = gone == _tab;
                }

                if (wasShown)
                {
                    _ = FollowAsync(null, CancellationToken.None);
                }

                Broadcast(TabsMessage());
                break;
        }
    }

    /// <summary>Records a target; true when it is a page (a tab).</summary>
    private bool Track(JsonElement info)
    {
        if (info.GetProperty("type").GetString() != "page")
        {
            return false;
        }

        var targetId = info.GetProperty("targetId").GetString()!;
        if (!_tabs.ContainsKey(targetId))
        {
            _recentTabs.Add(targetId);
        }

        _tabs[targetId] = (info.GetProperty("url").GetString() ?? "", info.GetProperty("title").GetString() ?? "");
        return true;
    }

    /// <summary>
    /// When every tab is still about:blank, the one whose document holds the most; null otherwise. Chromium's first tab and a
    /// tab the automation filled with <c>page.setContent</c> are both about:blank, and <c>Target.getTargets</c> lists tabs
    /// in no particular order (seen here), so "the newest" cannot be told from it.
    /// </summary>
    private async Task<string?> FullestBlankTabAsync(CancellationToken cancellationToken)
    {
        List<string> blank;
        lock (_lock)
        {
            if (_recentTabs.Count < 2 || _recentTabs.Any(t => _tabs[t].Url != "about:blank"))
            {
                return null;
            }

            blank = [.. _recentTabs];
        }

        string? fullest = null;
        var most = -1L;
        foreach (var targetId in blank)
        {
            try
            {
                var attached = await _cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, cancellationToken: cancellationToken);
                var session = attached.GetProperty("sessionId").GetString()!;
                try
                {
                    // A page busy in a script answers when it is done: it is not waited for.
                    var evaluated = await _cdp.SendAsync("Runtime.evaluate", new
                    {
                        expression = "document.documentElement ? document.documentElement.outerHTML.length : 0",
                        returnByValue = true,
                    }, session, cancellationToken).WaitAsync(BlankTabPatience, cancellationToken);
                    if (evaluated.GetProperty("result").TryGetProperty("value", out var value) && value.TryGetInt64(out var length) && length > most)
                    {
                        (fullest, most) = (targetId, length);
                    }
                }
                finally
                {
                    await Quietly(() => _cdp.SendAsync("Target.detachFromTarget", new { sessionId = session }, cancellationToken: cancellationToken));
                }
            }
            catch (Exception ex) when (ex is CdpException or TimeoutException)
            {
                _logger.LogDebug(ex, "Live view of session {SessionId} could not look into tab {TargetId}", SessionId, targetId);
            }
        }

        return fullest;
    }

    /// <summary>
    /// Shows <paramref name="targetId"/>, or when null the tab most recently opened (preferring one that has left
    /// about:blank): attaches to it, and moves the screencast there.
    /// </summary>
    private async Task FollowAsync(string? targetId, CancellationToken cancellationToken)
    {
        await _switching.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                targetId ??= _recentTabs.LastOrDefault(t => _tabs[t].Url != "about:blank") ?? _recentTabs.LastOrDefault();
                if (targetId is null || targetId == _tab || !_tabs.ContainsKey(targetId))
                {
                    return;
                }

                _recentTabs.Remove(targetId);
                _recentTabs.Add(targetId);
            }

            if (_tabSession is { } previous)
            {
                _tabSession = null;
                await Quietly(() => _cdp.SendAsync("Target.detachFromTarget", new { sessionId = previous }, cancellationToken: cancellationToken));
            }

            var attached = await _cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, cancellationToken: cancellationToken);
            var session = attached.GetProperty("sessionId").GetString()!;
            lock (_lock)
            {
                _tab = targetId;
                _heldAck = null;
                _lastFrame = null;
                _pacer.Reset();
            }

            _tabSession = session;
            await StartScreencastAsync(session, cancellationToken);
            Broadcast(TabsMessage());
        }
        catch (CdpException ex)
        {
            _logger.LogDebug(ex, "Live view of session {SessionId} could not follow tab {TargetId}", SessionId, targetId);
        }
        finally
        {
            _switching.Release();
        }
    }

    private string TabsMessage()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["type"] = "tabs",
                ["current"] = _tab,
                ["tabs"] = new JsonArray(_recentTabs.Select(id => (JsonNode)new JsonObject
                {
                    ["targetId"] = id,
                    ["url"] = _tabs[id].Url,
                    ["title"] = _tabs[id].Title,
                }).ToArray()),
            }.ToJsonString();
        }
    }
}
