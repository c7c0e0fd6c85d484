using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using WireMock;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace Simulators.Common;

/// <summary>Builds the response messages the simulators' callbacks return.</summary>
internal static class SimResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>camelCase, nulls left out, UTF-8 as is (partners' messages are Chinese).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ResponseMessage JsonBody<T>(int status, T body) =>
        Bytes(status, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(body, Json));

    public static ResponseMessage Bytes(int status, string contentType, byte[] body)
    {
        var message = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsBytes = body, DetectedBodyType = BodyType.Bytes },
        };
        message.AddHeader("Content-Type", contentType);
        return message;
    }

    public static ResponseMessage Text(int status, string text) =>
        Bytes(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// What is returned after the connection was aborted: no body, and a fault so that even if
    /// the abort did not take, no well-formed answer goes out.
    /// </summary>
    public static ResponseMessage Nothing() => new()
    {
        StatusCode = 200,
        FaultType = FaultType.EMPTY_RESPONSE,
    };
}
