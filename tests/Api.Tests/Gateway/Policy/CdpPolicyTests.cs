using System.Text;
using UFBrowsers.Api.Gateway.Policy;

namespace UFBrowsers.Api.Tests.Gateway.Policy;

public sealed class CdpPolicyTests
{
    [Theory]
    [InlineData("""{"id":1,"method":"Runtime.evaluate","params":{"expression":"1+1"},"sessionId":"S"}""", false)]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":"https://example.com/Browser.close"}}""", false)]
    [InlineData("""{"id":1,"method":"Browser.close"}""", true)]
    [InlineData("""{"id":1,"method":"Runtime.evaluate","params":{"note":"Tethering.bind"}}""", true)]
    [InlineData("""{"id":1,"method":"Browser.clos\u0065"}""", true)]
    [InlineData("""{"id":1,"method":"Runtime.evaluate","params":{"expression":"'\n'"}}""", true)]
    [InlineData("""{"id":1,"method":"Runtime.evaluate","params":{"expression":"'é'"}}""", true)]
    public void Only_a_name_a_backslash_or_a_byte_above_0x7F_can_make_a_command_worth_reading(string json, bool mightName)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Equal(mightName, CdpPolicy.MightName(bytes, new char[bytes.Length]));
    }

    [Fact]
    public void Every_policed_method_is_found_as_a_plain_string()
    {
        Assert.All(CdpPolicy.All, rule =>
        {
            var bytes = Encoding.UTF8.GetBytes($$"""{"id":1,"method":"{{rule.Key}}"}""");
            Assert.True(CdpPolicy.MightName(bytes, new char[bytes.Length]), rule.Key);
        });
    }
}
