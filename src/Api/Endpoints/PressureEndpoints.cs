using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Health;

namespace UFBrowsers.Api.Endpoints;

internal static class PressureEndpoints
{
    /// <summary>
    /// Capacity and dependencies for load balancers, autoscalers and clients, readable without credentials: how many
    /// sessions each pool can still take, how many requests wait (for a concurrency slot, for a browser being made), and
    /// PostgreSQL as last probed. Nothing about any tenant.
    /// </summary>
    public static RouteGroupBuilder MapPressureEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/pressure", GetPressure)
            .WithName("GetPressure")
            .WithTags("Capacity")
            .WithSummary("Free browser slots per node pool, the requests waiting, and PostgreSQL's state")
            .AllowAnonymous()
            .Produces<PressureResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return v1;
    }

    private static async Task<IResult> GetPressure(NodePoolPressureReader pressure, DependencyProbe dependencies, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pools = await pressure.Read();
        var queue = new QueuePressure(await pressure.WaitingForConcurrency(), pools.Sum(p => p.Waiting));
        var database = await dependencies.PostgresAsync(cancellationToken);
        return TypedResults.Ok(new PressureResponse(pools, queue.ForConcurrency + queue.ForBrowsers, queue, database, clock.GetUtcNow()));
    }
}
