using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Gateway.Idempotency;

/// <summary>
/// SHA-256 over the parsed body written canonically: object members sorted by name, no
/// whitespace, strings re-escaped. Key order and formatting therefore never make two equal
/// requests look different.
/// A body holding a string or member name that cannot be decoded (an escaped lone surrogate such
/// as <c>"\ud800"</c>, or bytes that are not UTF-8) has no canonical form; it is fingerprinted
/// over its raw bytes instead, never throwing, and validation refuses it anyway (TextRules).
/// </summary>
public static class RequestFingerprint
{
    public static string Compute(JsonElement body)
    {
        using var buffer = new MemoryStream();
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            Write(writer, body);
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString / JsonProperty.Name: the text is not valid UTF-16 or UTF-8.
            buffer.SetLength(0);
            buffer.Write("raw:"u8);
            buffer.Write(JsonMarshal.GetRawUtf8Value(body));
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                // Each name decoded once, then sorted with its value.
                var properties = new List<KeyValuePair<string, JsonElement>>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(new(property.Name, property.Value));
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
