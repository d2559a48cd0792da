using System.Text.Json.Nodes;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>Signing-secret management at engine level (GEN-9, DLV-40): at most two secrets, oldest first in storage,
/// removal of the oldest or the newest.</summary>
public sealed class SigningSecretAdministrationTests
{
    private static async Task<string> CreateOutgoingAsync(EngineFixture f)
    {
        var doc = new JsonObject
        {
            ["type"] = "webhook-outgoing", ["username"] = "rocket.cat", ["channel"] = "#general", ["urls"] = new JsonArray("https://hooks.example.com/x"),
        };
        var created = await f.Engine.CreateAsync(EngineFixture.Admin, doc);
        created.Success.Should().BeTrue(created.Body.ToJsonString());
        return created.Body["integration"]!["_id"]!.GetValue<string>();
    }

    private static async Task<string> AddAsync(EngineFixture f, string id, int expectedCount, CancellationToken ct)
    {
        var added = await f.Engine.AddSigningSecretAsync(EngineFixture.Admin, id, ct);
        added.Success.Should().BeTrue(added.Body.ToJsonString());
        added.Body["signingSecretCount"]!.GetValue<int>().Should().Be(expectedCount);
        var secret = added.Body["secret"]!.GetValue<string>();
        SigningSecrets.IsValid(secret).Should().BeTrue();
        return secret;
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AddSigningSecretAsync_ThirdSecret_FailsWithTooManySecretsAndKeepsBoth_GEN9_DLV40(CancellationToken ct)
    {
        using var f = new EngineFixture();
        var id = await CreateOutgoingAsync(f);
        var first = await AddAsync(f, id, 1, ct);
        var second = await AddAsync(f, id, 2, ct);
        var version = (await f.Store.GetAsync(id, ct))!.Version;

        var third = await f.Engine.AddSigningSecretAsync(EngineFixture.Admin, id, ct);

        third.Success.Should().BeFalse();
        third.Error.Should().Be("error-too-many-secrets");
        third.Body.ToJsonString().Should().NotContain("whsec_");
        var stored = (await f.Store.GetAsync(id, ct))!;
        stored.SigningSecrets.Should().Equal(first, second);
        stored.Version.Should().Be(version, "a refused add changes nothing");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RemoveSigningSecretAsync_OldestThenNewest_RemovesTheRightOne_GEN9_DLV40(CancellationToken ct)
    {
        using var f = new EngineFixture();
        var id = await CreateOutgoingAsync(f);
        var a = await AddAsync(f, id, 1, ct);
        var b = await AddAsync(f, id, 2, ct);

        var removed = await f.Engine.RemoveSigningSecretAsync(EngineFixture.Admin, id, "oldest", ct);
        removed.Success.Should().BeTrue(removed.Body.ToJsonString());
        removed.Body["signingSecretCount"]!.GetValue<int>().Should().Be(1);
        (await f.Store.GetAsync(id, ct))!.SigningSecrets.Should().Equal(b);

        var c = await AddAsync(f, id, 2, ct);
        (await f.Store.GetAsync(id, ct))!.SigningSecrets.Should().Equal(b, c); // the new one is the newest
        var before = (await f.Store.GetAsync(id, ct))!.Version;

        removed = await f.Engine.RemoveSigningSecretAsync(EngineFixture.Admin, id, "newest", ct);
        removed.Success.Should().BeTrue();
        removed.Body["version"]!.GetValue<long>().Should().Be(before + 1);
        (await f.Store.GetAsync(id, ct))!.SigningSecrets.Should().Equal(b);
        a.Should().NotBe(b);

        (await f.Engine.RemoveSigningSecretAsync(EngineFixture.Admin, id, "newest", ct)).Success.Should().BeTrue();
        (await f.Store.GetAsync(id, ct))!.SigningSecrets.Should().BeEmpty();
        (await f.Engine.RemoveSigningSecretAsync(EngineFixture.Admin, id, "oldest", ct)).Error.Should().Be("error-not-found");
        (await f.Engine.RemoveSigningSecretAsync(EngineFixture.Admin, id, "middle", ct)).Error.Should().Be("error-invalid-field");
    }
}
