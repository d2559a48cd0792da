using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests.Outgoing;

/// <summary>The pending deliveries route (<c>GET {id}/deliveries</c>) and the delivery figures of the list route (issue
/// 15) through real Kestrel, with a real failing receiver.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class PendingDeliveriesEndpointsTests : OutgoingTestBase
{
    // DLV-14, DLV-20, GEN-11: a failed attempt with retries left stays listed with its next attempt time and the
    // error of the failed attempt; the list shows the failure. SEC-16: no token, URL or payload in either answer.
    [Test]
    public async Task GetDeliveries_ReceiverFailing_ListsScheduledRetryAndListCountsTheFailure()
    {
        // Ten retries at powers of two keep the delivery unfinished for minutes; each attempt fails.
        var (id, token) = await CreateOutgoingAsync(new JsonObject { ["retryCount"] = 10, ["retryDelay"] = "powers-of-two" });
        Receiver.Respond = _ => new(503, "");
        await PostMessageAsync("general", "alice", "!deploy top-secret-payload");
        var request = await Receiver.NextAsync();
        await WaitForHistoryAsync(id, h => h.Count >= 1 && h.All(r => r!["finished"]?.GetValue<bool>() == true));

        var r = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/deliveries?offset=0&count=10");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["success"]!.GetValue<bool>().Should().BeTrue();
        r.Json["total"]!.GetValue<int>().Should().Be(1);
        r.Json["offset"]!.GetValue<int>().Should().Be(0);
        r.Json["count"]!.GetValue<int>().Should().Be(1);
        var d = r.Json["deliveries"]!.AsArray().Single()!;
        d["_id"]!.GetValue<string>().Should().Be(request.Header("webhook-id"));
        d["attempts"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
        d["state"]!.GetValue<string>().Should().BeOneOf("pending", "leased");
        d["lastError"]!.GetValue<string>().Should().Be("http-status-503");
        var next = DateTimeOffset.Parse(d["nextAttemptAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        next.Should().BeAfter(DateTimeOffset.Parse(d["_createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture), "the retry is scheduled after the first attempt");
        r.Text.Should().NotContain(token).And.NotContain("top-secret-payload").And.NotContain(Receiver.Url());

        var list = await Server.SendAsync(HttpMethod.Get, "/api/integrations?type=webhook-outgoing&count=100");
        list.Status.Should().Be(HttpStatusCode.OK, list.Text);
        var row = list.Json!["integrations"]!.AsArray().Single(i => i!["_id"]!.GetValue<string>() == id)!;
        row["failuresLastHour"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
        row["lastDelivery"]!["outcome"]!.GetValue<string>().Should().Be("failure");
        row["lastDelivery"]!["step"]!.GetValue<string>().Should().StartWith("going-to-retry-");
        list.Text.Should().NotContain(token);
    }

    // GEN-11: an integration without unfinished deliveries answers an empty page.
    [Test]
    public async Task GetDeliveries_NothingPending_AnswersEmptyPage()
    {
        var (id, _) = await CreateOutgoingAsync();

        var r = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/deliveries");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["deliveries"]!.AsArray().Should().BeEmpty();
        r.Json["total"]!.GetValue<int>().Should().Be(0);
    }

    // GEN-11, GEN-12: paging bounds → 400 error-invalid-field naming the parameter; unknown id → 404.
    [TestCase("offset=-1", "offset")]
    [TestCase("offset=abc", "offset")]
    [TestCase("count=0", "count")]
    [TestCase("count=101", "count")]
    public async Task GetDeliveries_PagingOutOfBounds_Returns400(string query, string field)
    {
        var (id, _) = await CreateOutgoingAsync();

        var r = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/deliveries?{query}");

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-field");
        r.Json!["field"]!.GetValue<string>().Should().Be(field);
    }

    [Test]
    public async Task GetDeliveries_UnknownIntegration_Returns404()
    {
        var r = await Server.SendAsync(HttpMethod.Get, "/api/integrations/nope/deliveries");

        r.Status.Should().Be(HttpStatusCode.NotFound, r.Text);
        r.Error.Should().Be("error-not-found");
    }
}
