namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>The top level of a client's CDP command, as <see cref="CdpMessageScanner"/> read it.</summary>
/// <param name="Method">The decoded <c>method</c>; null when there is none (or it is too long to be one the policy names).</param>
/// <param name="Id">The command's integer <c>id</c>, to answer to.</param>
/// <param name="SessionId">The flattened session the command is for, to answer on.</param>
/// <param name="Unreadable">The bytes use a leniency of Chromium's parser that could hide the method; the gateway refuses such a message.</param>
public sealed record CdpMessageHead(string? Method, int? Id, string? SessionId, bool Unreadable);
