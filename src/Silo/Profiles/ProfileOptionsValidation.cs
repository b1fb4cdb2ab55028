using Microsoft.Extensions.Options;

namespace UFBrowsers.Silo.Profiles;

/// <summary>Refuses to start with encryption keys that are not 32 bytes of base64 or an active key that is not configured (messages never quote a key).</summary>
public sealed class ProfileOptionsValidation : IValidateOptions<ProfileOptions>
{
    public ValidateOptionsResult Validate(string? name, ProfileOptions options)
    {
        try
        {
            _ = new ProfileCipher(Options.Create(options));
            return options.MaxOrigins < 1
                ? ValidateOptionsResult.Fail($"{ProfileOptions.Section}:MaxOrigins must be at least 1.")
                : ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
