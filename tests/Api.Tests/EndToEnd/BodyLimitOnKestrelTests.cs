using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>The body limit on the real server, where a body can come without a declared length (chunked).</summary>
[Collection(ChromiumCollection.Name)]
public sealed class BodyLimitOnKestrelTests(ChromiumProductFixture product)
{
    [Fact]
    public async Task A_chunked_json_body_over_64_KB_is_413_body_too_large_and_creates_nothing()
    {
        using var op = product.Anonymous();
        op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.OperatorToken);
        var id = "chunked-" + Guid.NewGuid().ToString("N")[..8];
        var json = $"{{\"id\":\"{id}\",\"name\":\"Chunked\",\"plan\":\"professional\",\"padding\":\"{new string('x', 100_000)}\"}}";
        using var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var request = new HttpRequestMessage(HttpMethod.Post, product.ApiUrl + "/admin/customers") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await op.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await response.Json())["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync(product.ApiUrl + $"/admin/customers/{id}")).StatusCode);
    }

    /// <summary>A stream that will not tell its length, so the client has to send it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
