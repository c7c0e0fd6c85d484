using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Hosting;

/// <summary>The JSON shape of the API and of stored records: camelCase, UTF-8 text as is.</summary>
public static class GatewayJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
