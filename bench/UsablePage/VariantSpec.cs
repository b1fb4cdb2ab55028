namespace UFBrowsers.Bench.UsablePage;

/// <summary>
/// One thing measured: the product with the sandbox, the product without it (<c>Sandbox=false</c>), or the floor (the same
/// client steps on a Chromium launched directly and already warm); optionally with a browser build (<c>shell</c>, <c>full</c>)
/// and with the pods' warm-up off (<c>cold</c>). Unnamed, both come from the product's own configuration.
/// </summary>
internal sealed record VariantSpec(string Kind, string? Build, bool Cold)
{
    public const string Sandbox = "sandbox";
    public const string NoSandbox = "no-sandbox";
    public const string Floor = "floor";

    public string Name => Kind + (Build is null ? "" : ":" + Build) + (Cold ? ":cold" : "");

    public bool IsFloor => Kind == Floor;

    /// <summary>The build as <c>UFBrowsers:LocalChromium:Build</c> names it, when this variant names one.</summary>
    public string? BuildSetting => Build switch
    {
        null => null,
        "shell" => "HeadlessShell",
        "full" => "Chromium",
        _ => throw new ArgumentException($"Unknown browser build '{Build}' (shell or full)."),
    };

    public static VariantSpec Parse(string text)
    {
        var parts = text.Split(':');
        if (parts[0] is not (Sandbox or NoSandbox or Floor))
        {
            throw new ArgumentException($"Unknown variant '{text}': sandbox, no-sandbox or floor, then optionally :shell or :full and :cold.");
        }

        string? build = null;
        var cold = false;
        foreach (var part in parts.Skip(1))
        {
            switch (part)
            {
                case "shell" or "full":
                    build = part;
                    break;
                case "cold":
                    cold = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown modifier '{part}' in variant '{text}'.");
            }
        }

        var spec = new VariantSpec(parts[0], build, cold);
        _ = spec.BuildSetting;
        return spec;
    }
}
