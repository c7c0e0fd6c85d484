using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Gateway.Core;
using Gateway.Hosting;

namespace Gateway.Storage;

/// <summary>
/// A payout in Redis is one string value, so it costs one key and no per-field overhead: a header
/// of newline-separated fields the scripts guard transitions with, then the record as compact JSON.
/// <code>
/// status \n version \n fence \n fingerprint \n client \n intents \n {json}
/// </code>
/// <c>status</c> is processing, succeeded or failed; <c>version</c> grows by one per save;
/// <c>fence</c> is the highest lease token issued (<see cref="PayoutLeases"/>); <c>intents</c> the
/// write-ahead send intents (<see cref="SendIntent"/>). The Lua side reads it with
/// <see cref="LuaFunctions"/>, the C# side with <see cref="Parse"/>: both agree on this one layout.
/// </summary>
public sealed record PayoutValue(string Status, long Version, long Fence, string Fingerprint, string Client, string Intents, string Doc)
{
    /// <summary>Lua shared by every script that reads or writes a payout value.</summary>
    public const string LuaFunctions = """
        local function load(key)
          local v = redis.call('GET', key)
          if not v then return nil end
          local s, ver, fence, fp, client, intents, doc =
            string.match(v, '^([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n(.*)$')
          return {status = s, version = tonumber(ver), fence = tonumber(fence), fp = fp, client = client, intents = intents, doc = doc}
        end
        local function encode(p)
          return p.status .. '\n' .. string.format('%d', p.version) .. '\n' .. string.format('%d', p.fence) .. '\n' .. p.fp .. '\n'
            .. p.client .. '\n' .. p.intents .. '\n' .. p.doc
        end
        local function save(key, p)
          redis.call('SET', key, encode(p), 'KEEPTTL')
        end
        local function create(key, p, ttl)
          redis.call('SET', key, encode(p), 'PX', ttl)
        end

        """;

    /// <summary>The header's status word for <paramref name="status"/> (also the status index's name).</summary>
    public static string StatusWord(PayoutStatus status) => status switch
    {
        PayoutStatus.Succeeded => "succeeded",
        PayoutStatus.Failed => "failed",
        _ => "processing",
    };

    public string Encode() => string.Join('\n', Status, Version.ToString(CultureInfo.InvariantCulture),
        Fence.ToString(CultureInfo.InvariantCulture), Fingerprint, Client, Intents, Doc);

    public static PayoutValue? Parse(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var fields = value.Split('\n', 7);
        if (fields.Length != 7)
        {
            throw new InvalidOperationException("A stored payout value is malformed.");
        }

        return new PayoutValue(fields[0], long.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture),
            fields[3], fields[4], fields[5], fields[6]);
    }

    /// <summary>The stored record and what the writer's next save must match.</summary>
    public StoredPayout ToStored() => new(PayoutDocument.Read(Doc), Client, Version, Fence)
    {
        Intents = SendIntent.Decode(Intents),
        Fingerprint = Fingerprint,
    };
}

/// <summary>
/// The record as stored: compact JSON (no nulls, times as unix milliseconds, nothing derived), so a
/// final payout stays well under a kilobyte. Reads the API's ISO times too.
/// </summary>
public static class PayoutDocument
{
    private static readonly JsonSerializerOptions Options = new(GatewayJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new UnixMillisecondsConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropDerived } },
    };

    public static string Write(PayoutRecord payout) => JsonSerializer.Serialize(payout, Options);

    public static PayoutRecord Read(string json) =>
        JsonSerializer.Deserialize<PayoutRecord>(json, Options) ?? throw new InvalidOperationException("A stored payout document is empty.");

    private static void DropDerived(JsonTypeInfo info)
    {
        if (info.Type == typeof(PayoutRecord))
        {
            foreach (var property in info.Properties.Where(p => p.Name == "isFinal").ToList())
            {
                info.Properties.Remove(property);
            }
        }
    }

    private sealed class UnixMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64())
                : reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
    }
}
