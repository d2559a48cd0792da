using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatIntegrations.AspNetCore.Dashboard;

/// <summary>Maps the dashboard under one path: the page (<c>{base}</c> and <c>{base}/</c>), its two assets
/// (<c>{base}/assets/dashboard.css|js</c>) and dashboard-scoped copies of the administration REST routes
/// (<c>{base}/api/...</c>) and of the omnichannel webhook routes (<c>{base}/api/omnichannel/...</c>) that additionally
/// demand the CSRF token on every state-changing request.</summary>
internal static class DashboardEndpoints
{
    internal const string CsrfHeader = "X-ChatIntegrations-Csrf";
    internal const string CsrfCookie = "ChatIntegrations.Dashboard.Csrf";

    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly Asset Page = Asset.Load("index.html", "text/html; charset=utf-8");
    private static readonly Asset Script = Asset.Load("dashboard.js", "text/javascript; charset=utf-8");
    private static readonly Asset Styles = Asset.Load("dashboard.css", "text/css; charset=utf-8");

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string basePath, string hooksBasePath, string? notice, IntegrationEngine engine, Func<HttpContext, ClaimsPrincipal> actor)
    {
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("ChatIntegrations.AspNetCore.Dashboard") ?? NullLogger.Instance;
        var group = endpoints.MapGroup(basePath);
        // SEC-4: admin answers carry tokens; HTTP logging must never capture bodies here.
        group.WithHttpLogging(HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.ResponsePropertiesAndHeaders | HttpLoggingFields.Duration);
        // The handlers are RequestDelegates, which endpoint filters do not wrap; a convention wrapping the final
        // delegate runs for every dashboard route, page, assets and API alike.
        ((IEndpointConventionBuilder)group).Add(b =>
        {
            if (b.RequestDelegate is { } next) b.RequestDelegate = ctx => Guard(ctx, next, logger);
        });

        group.MapGet("/", ctx => ServePageAsync(ctx, basePath, hooksBasePath, notice, actor)).WithDisplayName("ChatIntegrations dashboard");
        group.MapGet("/assets/dashboard.js", ctx => ServeAsset(ctx, Script));
        group.MapGet("/assets/dashboard.css", ctx => ServeAsset(ctx, Styles));
        AdministrationEndpoints.Map(group.MapGroup("/api"), engine, actor);
        // The literal segment wins over the admin routes' {id}; "omnichannel" is the reserved id of that webhook anyway.
        OmnichannelEndpoints.Map(group, "/api/omnichannel", engine, actor);
        return group;
    }

    /// <summary>Adds the security headers to every answer and refuses state-changing requests without the CSRF
    /// token (403 <c>error-csrf</c>) before the handler, so nothing changes.</summary>
    private static Task Guard(HttpContext ctx, RequestDelegate next, ILogger logger)
    {
        var headers = ctx.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY"; // for browsers that ignore frame-ancestors
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method) && !HttpMethods.IsOptions(ctx.Request.Method) && !HasValidCsrfToken(ctx.Request))
        {
            // Dashboard paths carry integration and history ids, never a webhook token (SEC-4).
            Log.CsrfRejected(logger, ctx.Request.Method, ctx.Request.Path.Value ?? "");
            return JsonAnswer.WriteErrorAsync(ctx.Response, StatusCodes.Status403Forbidden, "error-csrf", message: "missing or wrong " + CsrfHeader + " header; reload the dashboard");
        }

        return next(ctx);
    }

    private static bool HasValidCsrfToken(HttpRequest request)
    {
        var header = request.Headers[CsrfHeader].ToString();
        var cookie = request.Cookies[CsrfCookie];
        if (header.Length == 0 || string.IsNullOrEmpty(cookie)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header), Encoding.ASCII.GetBytes(cookie));
    }

    private static async Task ServePageAsync(HttpContext ctx, string basePath, string hooksBasePath, string? notice, Func<HttpContext, ClaimsPrincipal> actor)
    {
        var headers = ctx.Response.Headers;
        headers.CacheControl = "no-store"; // the page carries a fresh CSRF token
        headers.Pragma = "no-cache";

        // SEC-20: a user who may not view integrations does not get the page either, only a short refusal.
        var authorizer = ctx.RequestServices.GetRequiredService<IIntegrationAuthorizer>();
        if (!await authorizer.AuthorizeAsync(actor(ctx), IntegrationOperation.ViewIntegration, default, ctx.RequestAborted).ConfigureAwait(false))
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync("You are not allowed to view integrations.", ctx.RequestAborted).ConfigureAwait(false);
            return;
        }

        var token = Base64UrlToken();
        var root = ctx.Request.PathBase.Value + basePath;
        ctx.Response.Cookies.Append(CsrfCookie, token, new CookieOptions
        {
            HttpOnly = true, // the page reads its copy from the <meta> tag, never from the cookie
            SameSite = SameSiteMode.Strict,
            Secure = ctx.Request.IsHttps,
            Path = root,
            IsEssential = true,
        });

        var html = Page.Text
            .Replace("{{root}}", WebUtility.HtmlEncode(root), StringComparison.Ordinal)
            .Replace("{{csrf}}", token, StringComparison.Ordinal)
            .Replace("{{hooks}}", WebUtility.HtmlEncode(ctx.Request.PathBase.Value + hooksBasePath), StringComparison.Ordinal)
            .Replace("{{noticeHidden}}", string.IsNullOrEmpty(notice) ? " hidden" : "", StringComparison.Ordinal)
            .Replace("{{notice}}", WebUtility.HtmlEncode(notice ?? ""), StringComparison.Ordinal);
        ctx.Response.ContentType = Page.ContentType;
        await ctx.Response.WriteAsync(html, ctx.RequestAborted).ConfigureAwait(false);
    }

    private static Task ServeAsset(HttpContext ctx, Asset asset)
    {
        ctx.Response.Headers.CacheControl = "no-cache"; // revalidated with the ETag, so an upgrade is seen at once
        ctx.Response.Headers.ETag = asset.ETag;
        if (ctx.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            ctx.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        ctx.Response.ContentType = asset.ContentType;
        ctx.Response.ContentLength = asset.Bytes.Length;
        return ctx.Response.Body.WriteAsync(asset.Bytes, 0, asset.Bytes.Length, ctx.RequestAborted);
    }

    private static string Base64UrlToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Asset(string Text, byte[] Bytes, string ContentType, string ETag)
    {
        public static Asset Load(string name, string contentType)
        {
            using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("ChatIntegrations.AspNetCore.Dashboard.Assets." + name)
                ?? throw new InvalidOperationException("missing embedded dashboard asset " + name);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            var bytes = Encoding.UTF8.GetBytes(text);
            var etag = "\"" + Convert.ToHexString(SHA256.HashData(bytes), 0, 8) + "\"";
            return new Asset(text, bytes, contentType, etag);
        }
    }
}
