using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.ApiKeys;

namespace UFBrowsers.Grains.ApiKeys;

public sealed class ApiKeyDirectoryGrain(
    [PersistentState("apikeys", StorageNames.Grains)] IPersistentState<ApiKeyDirectoryState> state,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock) : Grain, IApiKeyDirectoryGrain
{
    public async Task<IssuedApiKey> Issue(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var (keyId, secret) = ApiKeyToken.Generate();
        await GrainFactory.For<IApiKeyGrain>(keyId).Register(this.GetPrimaryKeyString(), name, ApiKeyToken.Hash(secret));

        var info = new ApiKeyInfo(keyId, name, clock.GetUtcNow(), null);
        state.State.Keys.Add(info);
        await state.WriteStateAsync();
        return new IssuedApiKey(info, ApiKeyToken.Format(keyId, secret));
    }

    public Task<IReadOnlyList<ApiKeyInfo>> List() => Task.FromResult<IReadOnlyList<ApiKeyInfo>>(state.State.Keys.ToList());

    public async Task<bool> Revoke(string keyId)
    {
        var index = state.State.Keys.FindIndex(k => k.KeyId == keyId);
        if (index < 0)
        {
            return false;
        }

        // The key grain is the one authentication reads, so it is revoked first: from here the key stops working.
        await GrainFactory.For<IApiKeyGrain>(keyId).Revoke();
        if (state.State.Keys[index].RevokedAt is null)
        {
            state.State.Keys[index] = state.State.Keys[index] with { RevokedAt = clock.GetUtcNow() };
            await state.WriteStateAsync();
        }

        return true;
    }
}
