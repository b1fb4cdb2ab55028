using Microsoft.Extensions.Logging;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Pods;

/// <summary>The sweep: live pods nobody claims are asked about and deleted.</summary>
public sealed partial class PodPoolGrain
{
    public async Task<PodSweepReport> Sweep()
    {
        // What this activation knew before the listing began: a pod made or handed out during the listing may be missing from it.
        var startedAt = clock.GetUtcNow();
        var readyBefore = _readyById.Keys.ToList();
        var assignedBefore = _assigned.Keys.ToList();
        var listing = await Listing.GetAsync(startedAt);

        var gone = new List<string>();
        foreach (var podId in readyBefore.Where(id => !listing.Pods.ContainsKey(id)))
        {
            if (_readyById.Remove(podId, out var node))
            {
                _ready.Remove(node);
                gone.Add(podId);
                logger.LogWarning("Warm pod {PodId} of pool {NodePool} is gone", podId, NodePool);
            }
        }

        foreach (var podId in assignedBefore.Where(id => !listing.Pods.ContainsKey(id)))
        {
            // Its session finds out at its next check and ends as pod_lost.
            if (_assigned.Remove(podId))
            {
                gone.Add(podId);
            }
        }

        if (gone.Count > 0)
        {
            ReadyChanged();
        }

        foreach (var podId in _unclaimedSince.Keys.Where(id => !listing.Pods.ContainsKey(id)).ToList())
        {
            _unclaimedSince.Remove(podId);
        }

        var deleted = new List<string>();
        foreach (var live in listing.Pods.Values)
        {
            if (await DeleteIfUnclaimed(live))
            {
                deleted.Add(live.PodId);
            }
        }

        if (deleted.Count + gone.Count > 0)
        {
            logger.LogInformation("Pool {NodePool} sweep: {Alive} pods alive, {Deleted} deleted as unclaimed, {Gone} known pods gone",
                NodePool, listing.Pods.Count, deleted.Count, gone.Count);
        }

        Refill();
        return new PodSweepReport(listing.Pods.Count, deleted, gone);
    }

    private async Task SweepQuietly()
    {
        try
        {
            await Sweep();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Pool {NodePool} could not sweep its pods; trying again in {Seconds} s", NodePool, Options.SweepSeconds);
        }
    }

    /// <summary>Deletes a live pod that is not warm and that no session has claimed for the claim timeout, unless its session says it holds it.</summary>
    private async Task<bool> DeleteIfUnclaimed(LivePod live)
    {
        var now = clock.GetUtcNow();
        if (_readyById.ContainsKey(live.PodId))
        {
            return false;
        }

        string? sessionId;
        PodLease pod;
        if (_assigned.TryGetValue(live.PodId, out var claim))
        {
            if (now - claim.ClaimedAt < ClaimTimeout)
            {
                return false;
            }

            (sessionId, pod) = (claim.SessionId, claim.Pod);
        }
        else
        {
            if (!_unclaimedSince.TryGetValue(live.PodId, out var since))
            {
                _unclaimedSince[live.PodId] = since = now;
            }

            if (now - since < ClaimTimeout)
            {
                return false;
            }

            (sessionId, pod) = (live.SessionId, new PodLease(live.PodId, NodePool, "", ""));
        }

        if (sessionId is not null)
        {
            bool holds;
            try
            {
                // Wakes the session if need be; an active session holding this pod claims it again.
                holds = await GrainFactory.For<ISessionGrain>(sessionId).HoldsPod(live.PodId);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Pool {NodePool} could not ask session {SessionId} about pod {PodId}; asking again at the next sweep", NodePool, sessionId, live.PodId);
                return false;
            }

            if (holds)
            {
                _assigned[live.PodId] = new PodClaim(pod, sessionId, clock.GetUtcNow());
                _unclaimedSince.Remove(live.PodId);
                return false;
            }
        }

        // Claimed or handed out while the session was asked: keep it.
        if (_readyById.ContainsKey(live.PodId) || (_assigned.TryGetValue(live.PodId, out var latest) && clock.GetUtcNow() - latest.ClaimedAt < ClaimTimeout))
        {
            return false;
        }

        logger.LogWarning("Deleting pod {PodId} of pool {NodePool}: no session has claimed it for {Timeout}", live.PodId, NodePool, ClaimTimeout);
        _assigned.Remove(live.PodId);
        _unclaimedSince.Remove(live.PodId);
        await DeletePod(pod);
        return true;
    }
}
