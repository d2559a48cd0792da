using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests.Outgoing;

/// <summary>The history, replay and signing-secret routes of GEN-13 through real Kestrel, with real deliveries.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class HistoryAndSigningEndpointsTests : OutgoingTestBase
{
    // DLV-20, DLV-21, DLV-22, DLV-24: the attempt is listed with Rocket.Chat's step names and finished:true.
    [Test]
    public async Task GetHistory_AfterDeliveryWithReply_ListsAttemptWithStepNames()
    {
        var (id, _) = await CreateOutgoingAsync();
        Receiver.Respond = _ => new(200, """{"text":"deploying"}""");
        await PostMessageAsync("general", "alice", "!deploy api");
        var request = await Receiver.NextAsync();

        var history = await WaitForHistoryAsync(id, h => AllFinished(h, 1));

        var record = history[0]!;
        record["deliveryId"]!.GetValue<string>().Should().Be(request.Header("webhook-id"));
        record["event"]!.GetValue<string>().Should().Be("sendMessage");
        record["triggerWord"]!.GetValue<string>().Should().Be("!deploy");
        record["integration"]!["_id"]!.GetValue<string>().Should().Be(id);
        record["error"]!.GetValue<bool>().Should().BeFalse();
        var steps = record["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToList();
        steps.Should().ContainInOrder("start-execute-trigger-url", "mapped-args-to-data", "pre-http-call", "after-http-call", "url-response-sent-message");
        record["step"]!.GetValue<string>().Should().Be(steps[^1]);
        record["httpResult"]!["status"]!.GetValue<int>().Should().Be(200);
    }

    // GEN-11, DLV-24: offset/count paging with total.
    [Test]
    public async Task GetHistory_OffsetAndCount_PagesNewestFirst()
    {
        var (id, _) = await CreateOutgoingAsync();
        for (var i = 0; i < 3; i++)
        {
            await PostMessageAsync("general", "alice", $"!deploy {i}");
            await Receiver.NextAsync();
        }

        await WaitForHistoryAsync(id, h => AllFinished(h, 3));
        var first = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/history?offset=0&count=2");
        var second = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/history?offset=2&count=2");

        first.Status.Should().Be(HttpStatusCode.OK, first.Text);
        first.Json!["history"]!.AsArray().Should().HaveCount(2);
        first.Json["count"]!.GetValue<int>().Should().Be(2);
        first.Json["offset"]!.GetValue<int>().Should().Be(0);
        first.Json["total"]!.GetValue<int>().Should().Be(3);
        second.Json!["history"]!.AsArray().Should().HaveCount(1);
        second.Json["offset"]!.GetValue<int>().Should().Be(2);
        second.Json["total"]!.GetValue<int>().Should().Be(3);
        var ids = first.Json["history"]!.AsArray().Concat(second.Json["history"]!.AsArray()).Select(h => h!["_id"]!.GetValue<string>());
        ids.Should().OnlyHaveUniqueItems();
    }

    // GEN-11, GEN-12: paging bounds → 400 error-invalid-field naming the parameter.
    [TestCase("offset=-1", "offset")]
    [TestCase("offset=abc", "offset")]
    [TestCase("count=0", "count")]
    [TestCase("count=101", "count")]
    [TestCase("count=ten", "count")]
    public async Task GetHistory_PagingOutOfBounds_Returns400(string query, string field)
    {
        var (id, _) = await CreateOutgoingAsync();

        var r = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/history?{query}");

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-field");
        r.Json!["field"]!.GetValue<string>().Should().Be(field);
    }

    // GEN-12, GEN-13: unknown integration ids → 404 on every new route.
    [TestCase("GET", "/api/integrations/nope/history")]
    [TestCase("DELETE", "/api/integrations/nope/history")]
    [TestCase("POST", "/api/integrations/nope/history/h1/replay")]
    [TestCase("POST", "/api/integrations/nope/signing-secrets")]
    [TestCase("DELETE", "/api/integrations/nope/signing-secrets/oldest")]
    public async Task NewRoutes_UnknownIntegration_Returns404(string method, string path)
    {
        var r = await Server.SendAsync(new HttpMethod(method), path);

        r.Status.Should().Be(HttpStatusCode.NotFound, r.Text);
        r.Error.Should().Be("error-not-found");
    }

    // DLV-26: clearing deletes every record.
    [Test]
    public async Task ClearHistory_AfterDelivery_DeletesRecords()
    {
        var (id, _) = await CreateOutgoingAsync();
        await PostMessageAsync("general", "alice", "!deploy api");
        await Receiver.NextAsync();
        await WaitForHistoryAsync(id, h => AllFinished(h, 1));

        var r = await Server.SendAsync(HttpMethod.Delete, $"/api/integrations/{id}/history");
        var after = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/history");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["deleted"]!.GetValue<int>().Should().Be(1);
        after.Json!["total"]!.GetValue<int>().Should().Be(0);
    }

    // DLV-27, DLV-28: replay sends the original payload again as a new delivery (new webhook-id, replayOf).
    [Test]
    public async Task Replay_RecordedDelivery_ReceiverGetsSamePayloadWithNewWebhookId()
    {
        var (id, _) = await CreateOutgoingAsync();
        await PostMessageAsync("general", "alice", "!deploy api");
        var original = await Receiver.NextAsync();
        var history = await WaitForHistoryAsync(id, h => AllFinished(h, 1));

        var r = await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/history/{history[0]!["_id"]!.GetValue<string>()}/replay");
        var replayed = await Receiver.NextAsync();

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["replayOf"]!.GetValue<string>().Should().Be(original.Header("webhook-id"));
        replayed.Header("webhook-id").Should().Be(r.Json["deliveryId"]!.GetValue<string>()).And.NotBe(original.Header("webhook-id"));
        JsonNode.DeepEquals(replayed.Json, original.Json).Should().BeTrue($"{replayed.Text} vs {original.Text}");
        var after = await WaitForHistoryAsync(id, h => AllFinished(h, 2));
        after.Should().Contain(h => h!["replayOf"] != null && h["replayOf"]!.GetValue<string>() == original.Header("webhook-id"));
    }

    // DLV-27, GEN-12: an unknown history id → 404; a disabled integration → 400 integration-disabled; an incoming
    // integration → 400 integration-type-must-be-outgoing.
    [Test]
    public async Task Replay_BadTargets_MapToGen12Statuses()
    {
        var (id, _) = await CreateOutgoingAsync();
        var (incomingId, _) = await Server.CreateIncomingAsync();

        var unknown = await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/history/no-such-record/replay");
        var incoming = await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{incomingId}/history/no-such-record/replay");
        (await Server.SendAsync(HttpMethod.Put, $"/api/integrations/{id}", """{"enabled":false}""")).Status.Should().Be(HttpStatusCode.OK);
        var disabled = await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/history/no-such-record/replay");

        unknown.Status.Should().Be(HttpStatusCode.NotFound, unknown.Text);
        unknown.Error.Should().Be("error-not-found");
        incoming.Status.Should().Be(HttpStatusCode.BadRequest, incoming.Text);
        incoming.Error.Should().Be("integration-type-must-be-outgoing");
        disabled.Status.Should().Be(HttpStatusCode.BadRequest, disabled.Text);
        disabled.Error.Should().Be("integration-disabled");
    }

    // DLV-40, DLV-41, DLV-44: a new secret is returned once, and the receiver verifies the signature with the public verifier.
    [Test]
    public async Task AddSigningSecret_ThenDelivery_ReceiverVerifiesSignature()
    {
        var (id, _) = await CreateOutgoingAsync();

        var r = await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/signing-secrets");
        await PostMessageAsync("general", "alice", "!deploy api");
        var request = await Receiver.NextAsync();
        var get = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        var secret = r.Json!["secret"]!.GetValue<string>();
        secret.Should().StartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Should().HaveCount(32);
        r.Json["signingSecretCount"]!.GetValue<int>().Should().Be(1);
        get.Text.Should().NotContain(secret, "secrets are returned only once (GEN-9)");
        request.Header("webhook-signature").Should().StartWith("v1,");
        new StandardWebhookVerifier(secret).Verify(request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature"), request.Body)
            .Should().BeTrue();
        new StandardWebhookVerifier(secret).Verify(request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature"), Encoding.UTF8.GetBytes(request.Text + " "))
            .Should().BeFalse("a changed body must not verify");
    }

    // GEN-9, DLV-40: a third secret → 400 error-too-many-secrets; an incoming integration → 400 integration-type-must-be-outgoing.
    [Test]
    public async Task AddSigningSecret_ThirdSecretOrIncoming_Returns400()
    {
        var (id, _) = await CreateOutgoingAsync();
        var (incomingId, _) = await Server.CreateIncomingAsync();
        (await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/signing-secrets")).Status.Should().Be(HttpStatusCode.OK);
        (await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/signing-secrets")).Status.Should().Be(HttpStatusCode.OK);

        var third = await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/signing-secrets");
        var incoming = await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{incomingId}/signing-secrets");

        third.Status.Should().Be(HttpStatusCode.BadRequest, third.Text);
        third.Error.Should().Be("error-too-many-secrets");
        incoming.Status.Should().Be(HttpStatusCode.BadRequest, incoming.Text);
        incoming.Error.Should().Be("integration-type-must-be-outgoing");
    }

    // GEN-9, DLV-40, DLV-41: rotation. With two secrets both verify; removing the oldest leaves the newest; removing
    // the newest leaves none, and deliveries are then unsigned.
    [Test]
    public async Task RemoveSigningSecret_OldestThenNewest_RotatesAndEndsSigning()
    {
        var (id, _) = await CreateOutgoingAsync();
        var older = (await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/signing-secrets")).Json!["secret"]!.GetValue<string>();
        var newer = (await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/signing-secrets")).Json!["secret"]!.GetValue<string>();
        await PostMessageAsync("general", "alice", "!deploy both");
        var both = await Receiver.NextAsync();

        var removeOldest = await Server.SendAsync(HttpMethod.Delete, $"/api/integrations/{id}/signing-secrets/oldest");
        await PostMessageAsync("general", "alice", "!deploy newer");
        var onlyNewer = await Receiver.NextAsync();
        var removeNewest = await Server.SendAsync(HttpMethod.Delete, $"/api/integrations/{id}/signing-secrets/newest");
        await PostMessageAsync("general", "alice", "!deploy none");
        var unsigned = await Receiver.NextAsync();
        var removeMissing = await Server.SendAsync(HttpMethod.Delete, $"/api/integrations/{id}/signing-secrets/newest");

        static bool Verifies(string secret, ReceivedRequestView r) => new StandardWebhookVerifier(secret).Verify(r.Id, r.Timestamp, r.Signature, r.Body);
        var b = ReceivedRequestView.Of(both);
        b.Signature!.Split(' ').Should().HaveCount(2);
        Verifies(older, b).Should().BeTrue();
        Verifies(newer, b).Should().BeTrue();
        removeOldest.Status.Should().Be(HttpStatusCode.OK, removeOldest.Text);
        removeOldest.Json!["signingSecretCount"]!.GetValue<int>().Should().Be(1);
        var n = ReceivedRequestView.Of(onlyNewer);
        Verifies(newer, n).Should().BeTrue();
        Verifies(older, n).Should().BeFalse();
        removeNewest.Status.Should().Be(HttpStatusCode.OK, removeNewest.Text);
        removeNewest.Json!["signingSecretCount"]!.GetValue<int>().Should().Be(0);
        unsigned.Header("webhook-signature").Should().BeNull();
        removeMissing.Status.Should().Be(HttpStatusCode.NotFound, removeMissing.Text);
    }

    // GEN-9, GEN-12: anything but oldest or newest → 400 error-invalid-field.
    [TestCase("middle")]
    [TestCase("Oldest")]
    [TestCase("0")]
    public async Task RemoveSigningSecret_BadWhich_Returns400(string which)
    {
        var (id, _) = await CreateOutgoingAsync();
        await Server.SendAsync(HttpMethod.Post, $"/api/integrations/{id}/signing-secrets");

        var r = await Server.SendAsync(HttpMethod.Delete, $"/api/integrations/{id}/signing-secrets/{which}");

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-field");
        r.Json!["field"]!.GetValue<string>().Should().Be("which");
    }

    private sealed record ReceivedRequestView(string? Id, string? Timestamp, string? Signature, byte[] Body)
    {
        public static ReceivedRequestView Of(Infrastructure.ReceivedRequest r) => new(r.Header("webhook-id"), r.Header("webhook-timestamp"), r.Header("webhook-signature"), r.Body);
    }
}
