using Orleans.Storage;

namespace UFBrowsers.TestSupport.Faults;

/// <summary>Grain storage whose writes go through a <see cref="FaultPlan"/> (subject: the grain's key); reads pass straight through.</summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner, FaultPlan faults, string site) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString();
        await faults.BeforeAsync(FaultSteps.GrainStateWrite, key, site);
        await inner.WriteStateAsync(stateName, grainId, grainState);
        await faults.AfterAsync(FaultSteps.GrainStateWrite, key, site);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
