using Orleans.Storage;

namespace UFBrowsers.Cluster.Tests.Infrastructure;

/// <summary>
/// A grain storage that stands in under a name whose provider registered itself as a silo lifecycle participant
/// (the ADO.NET provider resolves its own name for that): it takes part in nothing, its inner storage does.
/// </summary>
internal sealed class ParticipatingGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle)
    {
    }
}
