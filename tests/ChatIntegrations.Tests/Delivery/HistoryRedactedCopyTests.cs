using System.Text.Json;
using System.Text.Json.Nodes;
using ChatIntegrations.Delivery.History;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The one-pass redacted copy of a history document (<see cref="HistoryRedactor.RedactedCopy"/>) and the
/// redaction in place (<see cref="HistoryRedactor.RedactInPlace"/>) give exactly what the copy-then-redact steps gave
/// (SEC-16, DLV-20); the copy leaves the original alone.</summary>
public sealed class HistoryRedactedCopyTests
{
    private const string Token = "tok3nSECRETvalue0123456789";
    private const string Signing = "whsec_Q2hhdEludGVncmF0aW9ucy10ZXN0LXNlY3JldC0zMmI=";

    private static JsonObject Document() => JsonNode.Parse($$"""
        {
          "type": "outgoing-webhook",
          "integration": { "_id": "int-1", "name": "deploy {{Token}}", "version": 3 },
          "deliveryId": "dlv_1", "attempt": 2, "url": "https://receiver.test/hook?token={{Token}}", "ranPrepareScript": true,
          "data": { "token": "abc", "text": "say {{Token}}", "nested": [ { "token": 1 }, { "deep": { "token": null, "n": 1.5 } } ],
                    "user": { "name": "x" }, "{{Token}}-key": "value", "flag": false, "esc": "caf\u00e9 \"q\" <b> \u2028 {{Token}}" },
          "httpCallData": { "method": "POST", "url": "https://receiver.test/hook",
                            "headers": { "Authorization": "[redacted]", "X-Sig": "{{Signing}}" },
                            "data": { "token": "{{Token}}", "text": "!deploy", "list": [ "{{Signing}}", 3, true ] } },
          "httpResult": { "status": 500, "headers": { "x-token": "1" }, "body": "echo {{Token}} and token" },
          "scriptLogs": [ { "level": "log", "message": "{{Signing}}" } ],
          "prepareSentMessage": [ { "channel": "#general", "message": { "token": "kept outside data", "text": "t" } } ],
          "step": "after-http-call", "steps": [ { "name": "pre-http-call", "at": "2025-01-01T10:00:00.000Z" } ],
          "error": true, "errorReason": "http-status-500"
        }
        """)!.AsObject();

    private static JsonObject CopyThenRedact(JsonObject document, IReadOnlyList<string> secrets)
    {
        var doc = (JsonObject)document.DeepClone();
        RedactTokenKeys(doc["data"]);
        RedactTokenKeys(doc["httpCallData"]?["data"]);
        ScrubSecrets(doc, secrets);
        return doc;
    }

    // The steps the library took before the one-pass copy, kept here as the reference it is compared with.
    /// <summary>Redacts <c>token</c> keys at any depth of a payload copy.</summary>
    private static void RedactTokenKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (key.Equals("token", StringComparison.Ordinal)) o[key] = HistoryRedactor.Redacted;
                    else RedactTokenKeys(o[key]);
                }

                break;
            case JsonArray a:
                foreach (var child in a) RedactTokenKeys(child);
                break;
        }
    }

    /// <summary>Replaces every occurrence of <paramref name="secrets"/> in every string of the document, keys
    /// included (SEC-16).</summary>
    private static JsonNode? ScrubSecrets(JsonNode? node, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0) return node;
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var child = ScrubSecrets(o[key], secrets);
                    var cleanKey = HistoryRedactor.Scrub(key, secrets);
                    if (!ReferenceEquals(child, o[key])) o[key] = child;
                    if (cleanKey != key)
                    {
                        o.Remove(key);
                        o[cleanKey] = child?.Parent is null ? child : child.DeepClone();
                    }
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var child = ScrubSecrets(a[i], secrets);
                    if (!ReferenceEquals(child, a[i])) a[i] = child;
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                var clean = HistoryRedactor.Scrub(text, secrets);
                return clean == text ? v : JsonValue.Create(clean);
            default:
                return node;
        }
    }


    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void RedactedCopy_RichDocument_EqualsCopyThenRedactTextForText_SEC16(int secretCount)
    {
        string[] secrets = [Token, Signing];
        var used = secrets.Take(secretCount).ToList();
        var original = Document();
        var before = original.ToJsonString();

        var copy = HistoryRedactor.RedactedCopy(original, used);

        copy.ToJsonString().Should().Be(CopyThenRedact(Document(), used).ToJsonString());
        original.ToJsonString().Should().Be(before, "the attempt's own document is not changed");
        copy["data"]!["token"]!.GetValue<string>().Should().Be(HistoryRedactor.Redacted);
        copy["prepareSentMessage"]![0]!["message"]!["token"]!.GetValue<string>().Should().Be("kept outside data");
        foreach (var secret in used) copy.ToJsonString().Should().NotContain(secret);
    }

    [Test]
    public void ToRecord_SecretsInDocument_StoresNoSecretAndMarksFinished_SEC16_DLV22()
    {
        var integration = new Integration
        {
            Id = "int-1", Type = IntegrationType.Outgoing, Name = "deploy", Token = Token, SigningSecrets = [Signing],
        };
        var delivery = new DeliveryRecord
        {
            Id = "dlv_1", Kind = DeliveryKind.Outgoing, IntegrationId = "int-1", Url = "https://receiver.test/hook", Payload = "{}",
        };
        var now = new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var h = AttemptHistory.ForAttempt(integration, delivery, 1, now);
        h.Set("data", new JsonObject { ["token"] = Token, ["text"] = "x " + Signing });
        h.Step("after-http-call", now);

        var record = h.ToRecord(integration, finished: true, now);

        var text = record.Document.ToJsonString();
        text.Should().NotContain(Token).And.NotContain(Signing);
        record.Document["finished"]!.GetValue<bool>().Should().BeTrue();
        record.Document["_id"]!.GetValue<string>().Should().Be(h.Id);
        h.Document["data"]!["token"]!.GetValue<string>().Should().Be(Token, "the builder keeps its unredacted document");
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void RedactInPlace_RichDocument_EqualsCopyThenRedactTextForTextAndIsIdempotent_SEC16(int secretCount)
    {
        string[] secrets = [Token, Signing];
        var used = secrets.Take(secretCount).ToList();
        var doc = Document();
        var expected = CopyThenRedact(Document(), used).ToJsonString();

        HistoryRedactor.RedactInPlace(doc, used);

        doc.ToJsonString().Should().Be(expected);
        HistoryRedactor.RedactInPlace(doc, used);
        doc.ToJsonString().Should().Be(expected, "redacting a redacted document changes nothing");
        foreach (var secret in used) doc.ToJsonString().Should().NotContain(secret);
    }

    private static (Integration Integration, AttemptHistory History, DateTimeOffset Now) Attempt(string signing = Signing)
    {
        var integration = new Integration
        {
            Id = "int-1", Type = IntegrationType.Outgoing, Name = "deploy", Token = Token, SigningSecrets = [signing],
        };
        var delivery = new DeliveryRecord
        {
            Id = "dlv_1", Kind = DeliveryKind.Outgoing, IntegrationId = "int-1", Url = "https://receiver.test/hook", Payload = "{}",
        };
        var now = new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);
        return (integration, AttemptHistory.ForAttempt(integration, delivery, 1, now), now);
    }

    [TestCase("token key only")]
    [TestCase("secret in a string")]
    [TestCase("secret in a key")]
    [TestCase("no secret")]
    public void TakeRecord_Documents_SameTextAsTheCopyAndNoSecret_SEC16_DLV22(string shape)
    {
        // The record taken in place, serialised once, is the record the copy gives (a key holding a secret aside, whose
        // place differs, see TakeRecord); both when the serialised form shows no secret and when it does.
        var (integration, h, now) = Attempt();
        h.Set("data", shape switch
        {
            "token key only" => new JsonObject { ["token"] = Token, ["text"] = "x", ["list"] = new JsonArray(new JsonObject { ["token"] = 1 }) },
            "secret in a string" => new JsonObject { ["token"] = Token, ["text"] = "x " + Signing },
            "secret in a key" => new JsonObject { ["token"] = "t", [Token + "-key"] = "v" },
            _ => new JsonObject { ["text"] = "plain" },
        });
        h.Set("httpCallData", new JsonObject { ["data"] = new JsonObject { ["token"] = Token } });
        h.Step("after-http-call", now);
        var copied = h.ToRecord(integration, finished: true, now).Document;

        var record = h.TakeRecord(integration, finished: true, now, out var json);

        json.Should().Be(record.Document.ToJsonString());
        JsonNode.DeepEquals(record.Document, copied).Should().BeTrue(json);
        json.Should().NotContain(Token).And.NotContain(Signing);
        record.Document.Should().BeSameAs(h.Document);
        record.Document["finished"]!.GetValue<bool>().Should().BeTrue();
    }

    [Test]
    public void TakeRecord_SecretTheEncoderEscapes_IsStillFoundAndRedacted_SEC16()
    {
        // '+' is written as \u002B by the default encoder, so the secret never appears as such in the serialised form.
        const string escaped = "whsec_ab+cd/ef+gh<ij>kl==";
        var (integration, h, now) = Attempt(escaped);
        h.Set("httpResult", new JsonObject { ["body"] = "echo " + escaped });
        h.Step("after-http-call", now);

        h.TakeRecord(integration, finished: true, now, out var json);

        json.Should().NotContain(JsonEncodedText.Encode(escaped).Value);
        JsonNode.Parse(json)!["httpResult"]!["body"]!.GetValue<string>().Should().Be("echo " + HistoryRedactor.Redacted);
    }

    [Test]
    public void TakeRecord_StepAddedAfterwards_IsRecordedAgainWithoutSecret_SEC16_DLV30()
    {
        // A shutdown that cancels the write adds a step and records again.
        var (integration, h, now) = Attempt();
        h.Set("data", new JsonObject { ["token"] = Token, ["text"] = "x " + Signing });
        h.Step("after-http-call", now);
        h.TakeRecord(integration, finished: true, now, out _);

        h.Step("cancelled-by-shutdown", now.AddSeconds(1));
        var again = h.ToRecord(integration, finished: true, now.AddSeconds(1)).Document;

        again.ToJsonString().Should().NotContain(Token).And.NotContain(Signing).And.Contain("cancelled-by-shutdown");
        again["data"]!["token"]!.GetValue<string>().Should().Be(HistoryRedactor.Redacted);
    }
}
