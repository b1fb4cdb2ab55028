using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Gateway.Policy;

namespace UFBrowsers.Api.Tests.Gateway.Policy;

public sealed class ClientMessageInspectorTests
{
    private const string Evaluate = """{"id":1,"method":"Runtime.evaluate","params":{"expression":"'Browser.close' + \"Browser.setDownloadBehavior\""},"sessionId":"S1"}""";

    public static TheoryData<int> ReadSizes => [1, 2, 3, 7, 13, 100, 65536];

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public void Relays_every_ordinary_frame_byte_for_byte_whatever_the_reads_are_cut_to(int readSize)
    {
        byte[] input =
        [
            .. InspectorHarness.Command(Evaluate),
            .. InspectorHarness.Fragmented("""{"id":2,"method":"Page.navigate","params":{"url":"https://example.com/"}}""", 5, 9),
            .. TestFrames.Frame(WebSocketOpcode.Pong, "pong"u8.ToArray(), masked: true),
            .. InspectorHarness.Command("""{"id":3,"method":"Browser.getVersion"}""", WebSocketOpcode.Binary),
            .. InspectorHarness.Command(""),
            .. InspectorHarness.Command("""{"id":5,"method":"Runtime.evaluate","params":{"method":"Browser.close","x":{"method":"Tethering.bind"}}}"""),
            .. InspectorHarness.Command("not json at all"),
            .. InspectorHarness.Command(LargeEvaluate(4, 200_000)),
        ];

        var run = InspectorHarness.Run(input, readSize);

        Assert.Equal(input, run.ToBrowser);
        Assert.Empty(run.ClientMessages());
        Assert.Null(run.Stopped);
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public void Confines_download_paths_to_the_sessions_downloads_directory(int readSize)
    {
        byte[] input =
        [
            .. InspectorHarness.Command("""{"id":1,"method":"Browser.setDownloadBehavior","params":{"behavior":"allow","downloadPath":"/tmp/evil","eventsEnabled":true}}"""),
            .. InspectorHarness.Command("""{"id":2,"method":"Page.setDownloadBehavior","params":{"behavior":"allow","downloadPath":"../../etc"},"sessionId":"PAGE"}"""),
            .. InspectorHarness.Command("""{"params":{"downloadPath":"/root","behavior":"allowAndName","browserContextId":"CTX"},"sessionId":"S","method":"Browser.setDownloadBehavior","id":3}"""),
            .. InspectorHarness.Command("""{"id":4,"method":"Browser.setDownload\u0042ehavior","params":{"behavior":"allow","downloadPath":"/tmp/evil"}}"""),
            .. InspectorHarness.Command("""{"id":5,"method":"Browser.setDownloadBehavior","params":{"behavior":"allowAndName"}}"""),
            .. InspectorHarness.Fragmented("""{"id":6,"method":"Browser.setDownloadBehavior","params":{"behavior":"allow","downloadPath":"/tmp/evil"}}""", 20, 17),
            .. InspectorHarness.Command("""{"id":7,"method":"Runtime.evaluate"}"""),
        ];

        var run = InspectorHarness.Run(input, readSize);

        var messages = run.BrowserMessages().Select(m => JsonNode.Parse(m)!.AsObject()).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], messages.Select(m => m["id"]!.GetValue<int>()));
        Assert.All(messages.Take(6), m => Assert.Equal(InspectorHarness.Downloads, m["params"]!["downloadPath"]!.GetValue<string>()));
        Assert.Equal(["allow", "allow", "allowAndName", "allow", "allowAndName", "allow"], messages.Take(6).Select(m => m["params"]!["behavior"]!.GetValue<string>()));
        Assert.Equal(["Browser.setDownloadBehavior", "Page.setDownloadBehavior"], messages.Take(6).Select(m => m["method"]!.GetValue<string>()).Distinct());
        Assert.Equal(("PAGE", "S", "CTX", true), (messages[1]["sessionId"]!.GetValue<string>(), messages[2]["sessionId"]!.GetValue<string>(),
            messages[2]["params"]!["browserContextId"]!.GetValue<string>(), messages[0]["params"]!["eventsEnabled"]!.GetValue<bool>()));
        Assert.DoesNotContain("evil", Encoding.UTF8.GetString(run.ToBrowser));
        Assert.Empty(run.ClientMessages());
    }

    [Fact]
    public void Relays_a_download_behaviour_that_names_no_path_and_allows_nothing_as_it_is()
    {
        var input = InspectorHarness.Command("""{"id":1,"method":"Browser.setDownloadBehavior","params":{"behavior":"deny"}}""");

        Assert.Equal(input, InspectorHarness.Run(input, downloads: null).ToBrowser);
    }

    [Theory]
    [InlineData("""{"id":11,"method":"Browser.setDownloadBehavior","params":{"behavior":"allow","downloadPath":"/tmp/evil"},"sessionId":"ABC"}""")]
    [InlineData("""{"sessionId":"ABC","params":{"behavior":"deny","downloadPath":"/tmp/evil"},"method":"Page.setDownloadBehavior","id":11}""")]
    [InlineData("""{"id":11,"method":"Browser.setDownloadBehavior","params":{"behavior":"allowAndName"},"sessionId":"ABC"}""")]
    public void Refuses_downloads_when_the_pod_has_no_downloads_directory(string command)
    {
        byte[] input = [.. InspectorHarness.Command(command), .. InspectorHarness.Command("""{"id":12,"method":"Browser.getVersion"}""")];

        var run = InspectorHarness.Run(input, readSize: 5, downloads: null);

        var answer = Assert.Single(run.ClientMessages());
        Assert.Equal((11, "ABC", CdpReplies.RefusedCode), (answer["id"]!.GetValue<int>(), answer["sessionId"]!.GetValue<string>(), answer["error"]!["code"]!.GetValue<int>()));
        Assert.Contains("downloads", answer["error"]!["message"]!.GetValue<string>());
        Assert.Equal(["""{"id":12,"method":"Browser.getVersion"}"""], run.BrowserMessages());
    }

    public static TheoryData<string> RefusedMethods => [.. CdpPolicy.All.Where(r => r.Value.Kind == CdpRuleKind.Refuse).Select(r => r.Key)];

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void Refuses_each_method_that_reaches_the_host_with_an_error_and_relays_what_follows(string method)
    {
        byte[] input =
        [
            .. InspectorHarness.Command($$$"""{"id":41,"method":"{{{method}}}","params":{"port":9222,"path":"/","locations":[{"host":"127.0.0.1","port":5432}]}}"""),
            .. InspectorHarness.Command($$"""{"sessionId":"P","id":42,"method":"{{Escaped(method)}}"}"""),
            .. InspectorHarness.Fragmented($$"""{"id":43,"method":"{{method}}"}""", 3),
            .. InspectorHarness.Command(Evaluate),
        ];

        var run = InspectorHarness.Run(input, readSize: 3);

        var answers = run.ClientMessages();
        Assert.Equal([41, 42, 43], answers.Select(a => a["id"]!.GetValue<int>()));
        Assert.Equal("P", answers[1]["sessionId"]!.GetValue<string>());
        Assert.All(answers, a => Assert.Equal(CdpReplies.RefusedCode, a["error"]!["code"]!.GetValue<int>()));
        Assert.All(answers, a => Assert.StartsWith(method + " is refused by the UFBrowsers gateway: ", a["error"]!["message"]!.GetValue<string>()));
        Assert.Equal([Evaluate], run.BrowserMessages());
        Assert.Null(run.Stopped);
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public void Answers_Browser_close_itself_and_asks_for_the_session_to_end(int readSize)
    {
        byte[] input = [.. InspectorHarness.Command(Evaluate), .. InspectorHarness.Command("""{"id":9,"method":"Browser.close","sessionId":"S2"}""")];

        var run = InspectorHarness.Run(input, readSize);

        Assert.Equal(1, run.SessionEnds);
        var answer = Assert.Single(run.ClientMessages());
        Assert.Equal("""{"id":9,"result":{},"sessionId":"S2"}""", answer.ToJsonString());
        Assert.Equal([Evaluate], run.BrowserMessages());
    }

    [Fact]
    public void Gives_Browser_close_to_the_browser_when_the_session_cannot_be_ended()
    {
        var run = InspectorHarness.Run(InspectorHarness.Fragmented("""{"id":9,"method":"Browser.close"}""", 4), endSession: false);

        Assert.Equal(["""{"id":9,"method":"Browser.close"}"""], run.BrowserMessages());
    }

    [Theory]
    [InlineData("""{"id":5,/*"*/"method":"Tethering.bind","params":{"port":1}}""")]
    [InlineData("""{"id":5,"method":"Tethering.bind"} // trailing comment""")]
    [InlineData("""{"id":5,"method":"Runtime.evaluate","method":"Tethering.bind"}""")]
    [InlineData("""{"id":5,"method":"Tethering.bi\x6ed"}""")]
    [InlineData("{\"id\":5,\"method\":\"Tethering.bin\u00e9\"}")]
    [InlineData("{\"id\":5,\"met\u0080hod\":\"Tethering.bind\"}")]
    [InlineData("""{"id":5,"method":"Tethering.bind" """)]
    public void Refuses_a_command_it_cannot_read_as_Chromium_would(string command)
    {
        var run = InspectorHarness.Run(InspectorHarness.Command(command));

        var answer = Assert.Single(run.ClientMessages());
        Assert.Equal((5, CdpReplies.UnreadableCode), (answer["id"]!.GetValue<int>(), answer["error"]!["code"]!.GetValue<int>()));
        Assert.Empty(run.BrowserMessages());
    }

    [Fact]
    public void Reads_a_method_behind_escapes_and_keys_in_any_order()
    {
        const string command = """ {"params" : {"nested":{"method":"Runtime.evaluate"}} , "sessionId":"S\u0031", "\u006Dethod" : "T\u0065thering.bind\u0020"  , "method2":1, "id": 7 } """;
        var trimmed = command.Replace("bind\\u0020", "bind", StringComparison.Ordinal);

        var run = InspectorHarness.Run(InspectorHarness.Command(trimmed), readSize: 1);

        var answer = Assert.Single(run.ClientMessages());
        Assert.Equal((7, "S1", CdpReplies.RefusedCode), (answer["id"]!.GetValue<int>(), answer["sessionId"]!.GetValue<string>(), answer["error"]!["code"]!.GetValue<int>()));
        Assert.Empty(run.BrowserMessages());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(4096)]
    public void Lets_a_message_too_large_to_hold_flow_as_it_arrives(int readSize)
    {
        var large = LargeEvaluate(1, 300_000);
        byte[] input = [.. InspectorHarness.Fragmented(large, 100_000, 50_000), .. InspectorHarness.Command(Evaluate)];

        var run = InspectorHarness.Run(input, readSize, capacity: 16 * 1024);

        Assert.Equal(input, run.ToBrowser);
        Assert.Null(run.Stopped);
    }

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(4096, 50_000)]
    [InlineData(7, 10)]
    [InlineData(4096, 10)]
    public void Stops_a_policed_command_too_large_to_hold_before_its_last_byte(int readSize, int firstFragment)
    {
        // With a small first fragment, the method is in a frame that was held back before the message turned out too large.
        var padded = firstFragment == 10
            ? $$$"""{"id":1,"method":"Tethering.bind","params":{"port":1,"pad":"{{{new string('x', 100_000)}}}"}}"""
            : $$"""{"id":1,"params":{"pad":"{{new string('x', 100_000)}}","behavior":"allow","downloadPath":"/tmp/evil"},"method":"Browser.setDownloadBehavior"}""";
        var frames = firstFragment > 0 ? InspectorHarness.Fragmented(padded, firstFragment) : InspectorHarness.Command(padded);
        byte[] input = [.. InspectorHarness.Command(Evaluate), .. frames];

        var run = InspectorHarness.Run(input, readSize, capacity: 16 * 1024);

        Assert.Equal(InspectorStop.PolicyViolation, run.Stopped);
        Assert.Equal([Evaluate], run.BrowserMessages());
        Assert.True(run.ToBrowser.Length < input.Length, "the last byte of the command was withheld");
        Assert.Equal(input.AsSpan(0, run.ToBrowser.Length).ToArray(), run.ToBrowser);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(65536)]
    public void Stops_at_the_clients_close_frame_with_its_code_and_reason(int readSize)
    {
        byte[] input = [.. InspectorHarness.Command(Evaluate), .. TestFrames.Close(1000, "bye", masked: true), .. InspectorHarness.Command(Evaluate)];

        var run = InspectorHarness.Run(input, readSize);

        Assert.Equal((InspectorStop.Closed, WebSocketCloseStatus.NormalClosure, "bye"), (run.Stopped, run.Close.Status, run.Close.Reason));
        Assert.Equal([Evaluate], run.BrowserMessages());
    }

    [Fact]
    public void Refuses_an_unmasked_frame_and_an_oversized_message_at_their_headers()
    {
        var unmasked = InspectorHarness.Run(TestFrames.Frame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(Evaluate)));
        var tooBig = InspectorHarness.Run(InspectorHarness.Command(LargeEvaluate(1, 5000))[..20], maxMessageBytes: 4096);

        Assert.Equal((InspectorStop.Invalid, InspectorStop.TooBig), (unmasked.Stopped, tooBig.Stopped));
        Assert.Empty(unmasked.ToBrowser);
    }

    [Fact]
    public void Holds_a_policed_command_interrupted_by_a_ping_and_passes_the_ping_on()
    {
        var input = InspectorHarness.Fragmented("""{"id":3,"method":"Tethering.bind","params":{"port":1}}""", 10);

        var run = InspectorHarness.Run(input, readSize: 1);

        Assert.Equal(TestFrames.Frame(WebSocketOpcode.Ping, "ping"u8.ToArray(), masked: true), run.ToBrowser);
        Assert.Single(run.ClientMessages());
    }

    private static string LargeEvaluate(int id, int length) =>
        $$$"""{"id":{{{id}}},"method":"Runtime.evaluate","params":{"expression":"'{{{new string('a', length)}}}'.length"}}""";

    private static string Escaped(string method) => string.Concat(method.Select(c => c == '.' ? "." : $"\\u{(int)c:x4}"));
}
