using System.Security.Cryptography;
using UFBrowsers.ApiKeys;

namespace UFBrowsers.Grains.ApiKeys;

public sealed class ApiKeyGrain(
    [PersistentState("apikey", StorageNames.Grains)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    public async Task Register(string customerId, string name, byte[] secretHash)
    {
        if (state.State.CustomerId is not null)
        {
            throw new InvalidOperationException("This key id is already registered.");
        }

        state.State = new ApiKeyState { CustomerId = customerId, SecretHash = secretHash };
        await state.WriteStateAsync();
    }

    public Task<string?> Authenticate(string secret)
    {
        var s = state.State;
        var valid = s.CustomerId is not null
            && !s.Revoked
            && CryptographicOperations.FixedTimeEquals(ApiKeyToken.Hash(secret), s.SecretHash);
        return Task.FromResult(valid ? s.CustomerId : null);
    }

    public async Task Revoke()
    {
        if (state.State.CustomerId is null || state.State.Revoked)
        {
            return;
        }

        state.State.Revoked = true;
        await state.WriteStateAsync();
    }
}
