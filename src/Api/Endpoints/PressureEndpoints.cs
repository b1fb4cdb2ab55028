using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Health;

namespace UFBrowsers.Api.Endpoints;

internal static class PressureEndpoints
{
    /// <summary>
    /// Capacity for load balancers and clients, readable without credentials: it tells only how many sessions
    /// each pool can still take, nothing about any tenant. There is no session queue yet, so its length is 0.
    /// </summary>
    public static RouteGroupBuilder MapPressureEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/pressure", GetPressure)
            .WithName("GetPressure")
            .WithTags("Capacity")
            .WithSummary("Free browser slots per node pool and the queue length")
            .AllowAnonymous()
            .Produces<PressureResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return v1;
    }

    private static async Task<IResult> GetPressure(NodePoolPressureReader pressure, TimeProvider clock) =>
        TypedResults.Ok(new PressureResponse(await pressure.Read(), QueueLength: 0, clock.GetUtcNow()));
}
