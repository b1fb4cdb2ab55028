using UFBrowsers.Grains;

namespace UFBrowsers.Persistence.Tests.TestGrains;

public sealed class StateProbeGrain([PersistentState("state", StorageNames.Grains)] IPersistentState<StateProbe> state)
    : Grain, IStateProbeGrain
{
    public async Task WriteAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<string?> ReadAsync() => Task.FromResult(state.State.Value);
}
