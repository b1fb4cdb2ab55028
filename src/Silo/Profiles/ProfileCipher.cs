using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace UFBrowsers.Silo.Profiles;

/// <summary>
/// AES-256-GCM for profile states at rest. Each state is sealed with the active key and a fresh 96-bit nonce, and bound to its
/// row: the profile id, its customer and its version are the associated data, so a sealed state copied into another
/// tenant's row, or back over a newer version, fails to open instead of being read as that profile's.
/// </summary>
public sealed class ProfileCipher
{
    public const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string? _activeKeyId;

    public ProfileCipher(IOptions<ProfileOptions> options)
    {
        var configured = options.Value;
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in configured.EncryptionKeys)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            _keys[id] = ParseKey(id, value);
        }

        _activeKeyId = configured.ActiveEncryptionKeyId is { Length: > 0 } active ? active : _keys.Count == 1 ? _keys.Keys.Single() : null;
        if (_activeKeyId is not null && !_keys.ContainsKey(_activeKeyId))
        {
            throw new InvalidOperationException($"{ProfileOptions.Section}:ActiveEncryptionKeyId names key '{_activeKeyId}', which is not among {ProfileOptions.Section}:EncryptionKeys.");
        }

        if (_activeKeyId is null && _keys.Count > 1)
        {
            throw new InvalidOperationException($"{ProfileOptions.Section}:EncryptionKeys has {_keys.Count} keys; set {ProfileOptions.Section}:ActiveEncryptionKeyId to the one new saves use.");
        }
    }

    /// <summary>Whether a key is configured to seal new states with.</summary>
    public bool CanSeal => _activeKeyId is not null;

    public string? ActiveKeyId => _activeKeyId;

    public SealedProfileState Seal(byte[] plaintext, string profileId, string customerId, long version)
    {
        var keyId = _activeKeyId ?? throw new InvalidOperationException($"No profile encryption key is configured ({ProfileOptions.Section}:EncryptionKeys).");
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[plaintext.Length + TagBytes];
        using var aes = new AesGcm(_keys[keyId], TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), AssociatedData(profileId, customerId, version));
        return new SealedProfileState(keyId, nonce, sealedBytes);
    }

    /// <exception cref="ProfileKeyMissingException">The state was sealed with a key no longer configured.</exception>
    /// <exception cref="AuthenticationTagMismatchException">The state was altered, or belongs to another row.</exception>
    public byte[] Open(SealedProfileState state, string profileId, string customerId, long version)
    {
        if (!_keys.TryGetValue(state.KeyId, out var key))
        {
            throw new ProfileKeyMissingException(state.KeyId);
        }

        if (state.Nonce.Length != NonceBytes || state.Sealed.Length < TagBytes)
        {
            throw new CryptographicException("The stored profile state is malformed.");
        }

        var plaintext = new byte[state.Sealed.Length - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(state.Nonce, state.Sealed.AsSpan(0, plaintext.Length), state.Sealed.AsSpan(plaintext.Length), plaintext, AssociatedData(profileId, customerId, version));
        return plaintext;
    }

    private static byte[] AssociatedData(string profileId, string customerId, long version) =>
        Encoding.UTF8.GetBytes($"ufbrowsers-profile-v1\n{profileId}\n{customerId}\n{version}");

    private static byte[] ParseKey(string id, string value)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{ProfileOptions.Section}:EncryptionKeys:{id} is not base64.");
        }

        return key.Length == KeyBytes
            ? key
            : throw new InvalidOperationException($"{ProfileOptions.Section}:EncryptionKeys:{id} must be {KeyBytes} bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`), not {key.Length}.");
    }
}
