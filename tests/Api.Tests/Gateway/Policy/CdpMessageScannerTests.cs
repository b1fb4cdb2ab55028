using System.Text;
using UFBrowsers.Api.Gateway.Policy;

namespace UFBrowsers.Api.Tests.Gateway.Policy;

public sealed class CdpMessageScannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Reads_method_id_and_session_id_whatever_the_pieces(int pieceSize)
    {
        var head = Scan("""{"id":12,"method":"Page.navigate","params":{"url":"https://a/\"}{","id":99,"method":"Browser.close"},"sessionId":"AB\u0043D"}""", pieceSize);

        Assert.Equal(new CdpMessageHead("Page.navigate", 12, "ABCD", Unreadable: false), head);
    }

    [Theory]
    [InlineData("""{"id":1.0,"method":"A.b"}""", 1)]
    [InlineData("""{"id":-7,"method":"A.b"}""", -7)]
    [InlineData("""{"id":"7","method":"A.b"}""", null)]
    [InlineData("""{"id":99999999999,"method":"A.b"}""", null)]
    [InlineData("""{"method":"A.b"}""", null)]
    public void Reads_only_an_integer_id(string json, int? id) => Assert.Equal(id, Scan(json).Id);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[1,2]")]
    [InlineData("\"Browser.close\"")]
    [InlineData("null")]
    public void A_message_that_is_not_an_object_has_no_method(string json)
    {
        Assert.Equal(new CdpMessageHead(null, null, null, Unreadable: false), Scan(json));
    }

    [Theory]
    [InlineData("""{"method":"A.b"}/**/""")]
    [InlineData("""{"method"/**/:"A.b"}""")]
    [InlineData("""{"params":{"a":/*x*/1},"method":"A.b"}""")]
    [InlineData("""{"method":"A.b"}{"method":"Browser.close"}""")]
    [InlineData("""{"method":"A.b","params":{""")]
    [InlineData("""{"method":"A\x2eb"}""")]
    [InlineData("""{"\x6dethod":"A.b"}""")]
    public void Marks_what_could_read_differently_in_Chromium_as_unreadable(string json) => Assert.True(Scan(json).Unreadable);

    [Fact]
    public void Does_not_decode_a_method_longer_than_any_the_policy_names()
    {
        var head = Scan($$"""{"method":"{{new string('a', 300)}}","id":1}""");

        Assert.Equal((null, 1, false), (head.Method, head.Id, head.Unreadable));
    }

    [Fact]
    public void Every_policed_method_fits_what_the_scanner_decodes_even_fully_escaped()
    {
        Assert.All(CdpPolicy.All, rule => Assert.InRange(rule.Key.Length * 6, 1, CdpMessageScanner.MaxValueBytes));
    }

    private static CdpMessageHead Scan(string json, int pieceSize = 4096)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var scanner = new CdpMessageScanner();
        scanner.Reset();
        for (var i = 0; i < bytes.Length; i += pieceSize)
        {
            scanner.Feed(bytes.AsSpan(i, Math.Min(pieceSize, bytes.Length - i)));
        }

        scanner.Finish();
        return scanner.Head();
    }
}
