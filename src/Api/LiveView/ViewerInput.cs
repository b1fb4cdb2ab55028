using System.Text.Json;
using System.Text.Json.Nodes;

namespace UFBrowsers.Api.LiveView;

/// <summary>
/// Turns an interactive viewer's input message into the one CDP command it may become (<c>Input.dispatchMouseEvent</c>,
/// <c>Input.dispatchKeyEvent</c>, <c>Input.insertText</c>), or null when it is not a well-formed input: only these
/// commands, only these fields, every value bounded. Nothing a viewer sends reaches the browser any other way.
/// </summary>
internal static class ViewerInput
{
    private static readonly HashSet<string> MouseEvents = ["mousePressed", "mouseReleased", "mouseMoved", "mouseWheel"];
    private static readonly HashSet<string> KeyEvents = ["keyDown", "keyUp", "rawKeyDown", "char"];
    private static readonly HashSet<string> Buttons = ["none", "left", "middle", "right", "back", "forward"];

    /// <summary>Whether the message is input at all (what a view-only viewer is refused).</summary>
    public static bool IsInput(string type) => type is "mouse" or "key" or "text";

    public static (string Method, JsonObject Params)? ToCommand(string type, JsonElement message)
    {
        try
        {
            return type switch
            {
                "mouse" => Mouse(message),
                "key" => Key(message),
                "text" => Text(message),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }

    private static (string, JsonObject)? Mouse(JsonElement m)
    {
        var kind = m.GetProperty("event").GetString();
        var button = m.TryGetProperty("button", out var b) ? b.GetString() : "none";
        if (kind is null || !MouseEvents.Contains(kind) || button is null || !Buttons.Contains(button))
        {
            return null;
        }

        var parameters = new JsonObject
        {
            ["type"] = kind,
            ["x"] = Number(m, "x", 0, 100_000),
            ["y"] = Number(m, "y", 0, 100_000),
            ["button"] = button,
            ["buttons"] = Integer(m, "buttons", 0, 31),
            ["clickCount"] = Integer(m, "clickCount", 0, 3),
            ["modifiers"] = Integer(m, "modifiers", 0, 15),
        };
        if (kind == "mouseWheel")
        {
            parameters["deltaX"] = Number(m, "deltaX", -100_000, 100_000);
            parameters["deltaY"] = Number(m, "deltaY", -100_000, 100_000);
        }

        return ("Input.dispatchMouseEvent", parameters);
    }

    private static (string, JsonObject)? Key(JsonElement m)
    {
        var kind = m.GetProperty("event").GetString();
        if (kind is null || !KeyEvents.Contains(kind))
        {
            return null;
        }

        var parameters = new JsonObject
        {
            ["type"] = kind,
            ["key"] = String(m, "key", 32),
            ["code"] = String(m, "code", 32),
            ["windowsVirtualKeyCode"] = Integer(m, "keyCode", 0, 255),
            ["modifiers"] = Integer(m, "modifiers", 0, 15),
        };
        if (String(m, "text", 4) is { Length: > 0 } text)
        {
            parameters["text"] = text;
            parameters["unmodifiedText"] = text;
        }

        return ("Input.dispatchKeyEvent", parameters);
    }

    private static (string, JsonObject)? Text(JsonElement m) =>
        String(m, "text", 10_000) is { Length: > 0 } text ? ("Input.insertText", new JsonObject { ["text"] = text }) : null;

    private static double Number(JsonElement m, string name, double min, double max)
    {
        var value = m.TryGetProperty(name, out var v) ? v.GetDouble() : 0;
        return double.IsFinite(value) ? Math.Clamp(value, min, max) : throw new FormatException(name);
    }

    private static int Integer(JsonElement m, string name, int min, int max)
    {
        var value = m.TryGetProperty(name, out var v) ? v.GetInt32() : 0;
        return value >= min && value <= max ? value : throw new FormatException(name);
    }

    private static string String(JsonElement m, string name, int maxLength)
    {
        var value = m.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
        return value.Length <= maxLength ? value : throw new FormatException(name);
    }
}
