using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

[Collection(ApiCollection.Name)]
public sealed class DashboardTests(ApiFixture api)
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task Without_operator_credentials_the_dashboard_answers_401_with_a_basic_challenge(string path)
    {
        using var anonymous = api.CreateClient();
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        var tenant = await api.NewTenant();
        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.Client.GetAsync(path)).StatusCode);

        using var wrong = api.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = Basic("operator", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_operator_gets_the_dashboard_page_and_its_data_with_a_bearer_token_or_basic_auth()
    {
        using var bearer = api.Operator();
        var page = await bearer.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var browser = api.CreateClient();
        browser.DefaultRequestHeaders.Authorization = Basic("anyone", ApiFactory.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/index.min.js")).StatusCode);
        var counters = await browser.GetAsync("/dashboard/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        Assert.Contains("totalActiveHostCount", await counters.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
