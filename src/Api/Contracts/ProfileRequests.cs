using System.ComponentModel.DataAnnotations;
using UFBrowsers.Api.Contracts.Validation;

namespace UFBrowsers.Api.Contracts;

public sealed record CreateProfileRequest([property: Required, StringLength(200, MinimumLength = 1), PlainText] string? Name);

/// <summary>
/// <c>profile</c> of <c>POST /v1/sessions</c>: the browser starts with the profile's saved state; with <c>persist</c> its
/// state at the end is saved back (one persisting session per profile at a time).
/// </summary>
public sealed record SessionProfileRequest(string? Id, bool Persist = false);
