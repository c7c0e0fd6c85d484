using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.OpenApi;

/// <summary>
/// The document against the running gateway (ycb simulator behind it): every operation is called
/// with its documented parameter and request-body examples, and each answer must be a status the
/// operation documents, of a documented media type, with the documented required headers, and a
/// body that validates against the documented schema. The document's own examples validate too.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiContractTests(RedisFixture redis, OpenApiContractTests.Harness harness) : IClassFixture<OpenApiContractTests.Harness>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task OpenApi_EveryDocumentedExample_GetsADocumentedAnswerThatValidates()
    {
        var document = await DocumentAsync();
        var check = new SchemaCheck(document);
        var failures = new List<string>();
        var calls = 0;

        foreach (var (path, method, operation) in Operations(document))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            if (Url(path, operation, failures, name) is not { } url)
            {
                continue;
            }

            foreach (var body in RequestExamples(operation).DefaultIfEmpty(null))
            {
                // A submission twice: the first answer (201), then the replay (200, Idempotent-Replayed).
                for (var round = 0; round < (method == "post" ? 2 : 1); round++)
                {
                    using var response = await SendAsync(method, path, url, operation, body);
                    calls++;
                    await CheckAsync(check, operation, response, $"{name} (call {round + 1})", failures);
                }
            }
        }

        Assert.True(calls >= 8, $"only {calls} calls were made from the document's examples");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task OpenApi_EveryResponseAndRequestExample_ValidatesAgainstItsSchema()
    {
        var document = await DocumentAsync();
        var check = new SchemaCheck(document);
        var failures = new List<string>();
        var examples = 0;

        foreach (var (path, method, operation) in Operations(document))
        {
            var media = Media(operation, "requestBody").Concat(
                operation.TryGetProperty("responses", out var responses)
                    ? responses.EnumerateObject().SelectMany(r => Media(r.Value, null).Select(m => ($"{r.Name} {m.Name}", m.Media)))
                    : []);
            foreach (var (where, content) in media)
            {
                foreach (var example in Examples(content))
                {
                    examples++;
                    failures.AddRange(check.Errors(content.GetProperty("schema"), example).Select(e => $"{method.ToUpperInvariant()} {path} {where}: {e}"));
                }
            }
        }

        Assert.True(examples >= 5, $"only {examples} examples in the document");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task OpenApi_OptionalFieldsAndPathParameterExamples_AreAsTheSpecSays()
    {
        var document = await DocumentAsync();
        var post = document.GetProperty("paths").GetProperty("/v1/payouts").GetProperty("post");
        var request = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var required = request.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToList();
        var list = document.GetProperty("components").GetProperty("schemas").GetProperty("PayoutListResource");

        Assert.Equal(["loanId", "amount", "currency", "beneficiary"], required);
        Assert.DoesNotContain("nextCursor", list.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("^[0-9]{8,34}$", request.GetProperty("properties").GetProperty("beneficiary").GetProperty("properties").GetProperty("accountNumber").Str("pattern"));
        Assert.True(post.GetProperty("responses").GetProperty("201").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.True(post.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("Idempotent-Replayed", out _));
        foreach (var (path, method, operation) in Operations(document))
        {
            var statuses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.True(statuses.Contains("401") && statuses.Contains("403"), $"{method} {path} documents no 401/403: {string.Join(",", statuses)}");
            foreach (var parameter in Parameters(operation).Where(p => p.Str("in") == "path"))
            {
                Assert.True(parameter.TryGetProperty("example", out _), $"{method} {path}: path parameter {parameter.Str("name")} has no example");
            }
        }
    }

    private async Task<JsonElement> DocumentAsync() => await _gateway.CreateClient().GetJsonAsync("/openapi/v1.json");

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string url, JsonElement operation, string? body)
    {
        // Diagnostics are for on-call keys, everything else for a client key (payout-api.md roles).
        var client = path.StartsWith("/v1/diagnostics", StringComparison.Ordinal) ? _gateway.OpsClient() : _gateway.ClientFor();
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
        foreach (var header in Parameters(operation).Where(p => p.Str("in") == "header" && p.TryGetProperty("example", out _)))
        {
            request.Headers.TryAddWithoutValidation(header.Str("name"), header.Str("example"));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static async Task CheckAsync(SchemaCheck check, JsonElement operation, HttpResponseMessage response, string name, List<string> failures)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = await response.Content.ReadAsStringAsync();
        if (!operation.GetProperty("responses").TryGetProperty(status, out var documented))
        {
            failures.Add($"{name}: HTTP {status} is not documented: {text}");
            return;
        }

        foreach (var header in documented.TryGetProperty("headers", out var headers) ? headers.EnumerateObject() : [])
        {
            if (header.Value.TryGetProperty("required", out var required) && required.GetBoolean() && !HasHeader(response, header.Name))
            {
                failures.Add($"{name}: HTTP {status} without its required {header.Name} header");
            }
        }

        if (!documented.TryGetProperty("content", out var content))
        {
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "(none)";
        if (!content.TryGetProperty(mediaType, out var media))
        {
            failures.Add($"{name}: HTTP {status} as {mediaType}, documented as {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}");
            return;
        }

        failures.AddRange(check.Errors(media.GetProperty("schema"), JsonDocument.Parse(text).RootElement).Select(e => $"{name}: HTTP {status}: {e}"));
    }

    private static bool HasHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out _) || response.Content.Headers.TryGetValues(name, out _);

    /// <summary>The path with every path parameter's example, and the query parameters that have one; null (and a failure) when a required one has none.</summary>
    private static string? Url(string path, JsonElement operation, List<string> failures, string name)
    {
        var query = new List<string>();
        foreach (var parameter in Parameters(operation))
        {
            var hasExample = parameter.TryGetProperty("example", out var example);
            var required = parameter.TryGetProperty("required", out var flag) && flag.GetBoolean();
            if (!hasExample)
            {
                if (required || parameter.Str("in") == "path")
                {
                    failures.Add($"{name}: required parameter {parameter.Str("name")} has no example");
                    return null;
                }

                continue;
            }

            var value = example.ValueKind == JsonValueKind.String ? example.GetString()! : example.GetRawText();
            switch (parameter.Str("in"))
            {
                case "path":
                    path = path.Replace("{" + parameter.Str("name") + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
                    break;
                case "query":
                    query.Add($"{Uri.EscapeDataString(parameter.Str("name"))}={Uri.EscapeDataString(value)}");
                    break;
            }
        }

        return query.Count == 0 ? path : path + "?" + string.Join("&", query);
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select (path.Name, operation.Name, operation.Value);

    private static JsonElement[] Parameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters) ? [.. parameters.EnumerateArray()] : [];

    /// <summary>The JSON request bodies the operation documents (its <c>example</c> and every <c>examples</c> value), as text.</summary>
    private static IEnumerable<string?> RequestExamples(JsonElement operation) =>
        Media(operation, "requestBody").Where(m => m.Name.EndsWith("application/json", StringComparison.Ordinal))
            .SelectMany(m => Examples(m.Media)).Select(e => (string?)e.GetRawText());

    private static IEnumerable<(string Name, JsonElement Media)> Media(JsonElement owner, string? member)
    {
        var holder = owner;
        if (member is not null && !owner.TryGetProperty(member, out holder))
        {
            return [];
        }

        return holder.TryGetProperty("content", out var content)
            ? content.EnumerateObject().Select(c => ($"{member ?? "response"} {c.Name}", c.Value))
            : [];
    }

    private static IEnumerable<JsonElement> Examples(JsonElement media)
    {
        if (media.TryGetProperty("example", out var example))
        {
            yield return example;
        }

        foreach (var named in media.TryGetProperty("examples", out var examples) ? examples.EnumerateObject() : [])
        {
            if (named.Value.TryGetProperty("value", out var value))
            {
                yield return value;
            }
        }
    }

    public sealed class Harness : YcbHarness;
}
