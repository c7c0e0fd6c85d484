using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Gateway.Tests.Payouts;

/// <summary>
/// One generated <c>POST /v1/payouts</c>: the body's bytes, the Idempotency-Key and Content-Type
/// headers (null: not sent), and whether the generator built a genuinely valid request (every
/// other kind is invalid by construction). <see cref="UniqueKey"/>: the key gets a fresh unique
/// prefix when sent, so no two cases ever share a key.
/// </summary>
public sealed record HostileRequest(string Kind, byte[] Body, string? Key, bool UniqueKey, string? ContentType, bool Valid)
{
    public override string ToString()
    {
        var body = Encoding.UTF8.GetString(Body);
        return $"{Kind}: Content-Type={Show(ContentType)} Idempotency-Key={(UniqueKey ? "<unique>" : "")}{Show(Key)} "
            + $"body ({Body.Length} bytes)={Show(body.Length > 600 ? body[..600] + "..." : body)}";
    }

    private static string Show(string? text) => text is null
        ? "(none)"
        : string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));
}

/// <summary>
/// FsCheck generators of hostile requests: valid bodies with random Unicode names and metadata
/// in random member order; the same with one field made invalid (lone surrogates, controls, bidi,
/// zero-width, trailing newlines, wrong types, unknown or repeated members, over-long text);
/// bad Idempotency-Keys; non-JSON Content-Types; random JSON shapes; and broken bytes (cut,
/// trailing garbage, too deep, too big, not UTF-8).
/// </summary>
public static class HostileRequests
{
    public static Arbitrary<HostileRequest> Request() => Gen.Frequency(
        (3, Valid()),
        (5, HostileField()),
        (1, HostileKey()),
        (1, HostileContentType()),
        (2, RandomShape()),
        (2, Broken())).ToArbitrary();

    // JSON string contents (already escaped where JSON needs it), each one piece of text.
    private static readonly string[] NamePieces =
    [
        "张", "三", "李", "a", "Z", "é", "e\u0301", "o\u0308", "ß", "Ω", "م", "ש", "\U0001F600", "\u2764\uFE0F", "\U00020BB7",
        " ", "-", "'", ".", "\\\"", "\\\\", "\\u00e9", "\\u5f20", "\\ud83d\\ude00",
    ];

    private static readonly string[] HostilePieces =
    [
        "\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\udc00\\ud83d", "\\u0000", "\\u0001", "\\u001b", "\\n", "\\r", "\\t",
        "\\r\\n", "\u007f", "\u0085", "\u009b", "\\u0085", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\\u202e",
        "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\\u200b", "\ufeff", "\\ufeff", "\u2060",
        "\u00ad", "\u061c", "\u200e", "\u200f", "\u2028", "\u2029", "\\ufffe", "\\uffff", "\U000E0001", "\U000E0041",
    ];

    private static readonly string[] KnownFields = ["loanId", "amount", "currency", "beneficiary", "partner", "metadata"];

    /// <summary>The parts of a body; string values are lists of pieces so one can be spliced in anywhere.</summary>
    private sealed record Spec(
        List<string> LoanId, string Amount, string Currency, List<string> Name, string Account, string BankCode,
        string? Partner, List<(List<string> Key, List<string> Value)>? Metadata, int Seed);

    private static Gen<string> Piece(string[] pieces) => Gen.Elements(pieces);

    private static Gen<List<string>> Pieces(string[] pieces, int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ListOf(Piece(pieces), n)).Select(l => l.ToList());

    private static Gen<string> Digits(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 9), n)).Select(d => string.Concat(d));

    private static Gen<string> Alnum(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".ToCharArray()), n))
            .Select(c => new string(c));

    private static Gen<Spec> ValidSpec() =>
        from loanId in Pieces(NamePieces, 0, 20).Select(p => p.Prepend("LN").ToList())
        from cents in Gen.Choose(1, 100_000_000)
        from decimals in Gen.Elements(0, 1, 2)
        from first in Piece(["张", "a", "Z", "é", "م", "\U0001F600", "e\u0301"])
        from rest in Pieces(NamePieces, 0, 19)
        from account in Digits(15, 15).Select(d => "6222" + d)
        from bank in Alnum(2, 11)
        from partner in Gen.Elements<string?>(null, "ycb")
        from metadataCount in Gen.Choose(-1, 5)
        from metadata in Gen.ListOf(Pieces(NamePieces, 1, 8).Zip(Pieces(NamePieces, 0, 10)), Math.Max(metadataCount, 0))
        from seed in Gen.Choose(0, int.MaxValue)
        select new Spec(
            loanId, Amount(cents, decimals), "CNY", [first, .. rest], account, bank, partner,
            metadataCount < 0 ? null : [.. metadata.Select((m, i) => ((List<string>)[$"k{i}", .. m.Item1], m.Item2.ToList()))],
            seed);

    private static string Amount(int cents, int decimals) => decimals switch
    {
        0 when cents % 100 == 0 => (cents / 100).ToString(CultureInfo.InvariantCulture),
        1 when cents % 10 == 0 => (cents / 100m).ToString("0.0", CultureInfo.InvariantCulture),
        _ => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static Gen<string> UniqueKeySuffix() =>
        Gen.Choose(0, 180).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x21, 0x7E).Select(c => (char)c), n)).Select(c => new string(c));

    private static Gen<HostileRequest> Valid() =>
        from spec in ValidSpec()
        from suffix in UniqueKeySuffix()
        from contentType in Gen.Elements("application/json", "application/json; charset=utf-8", "Application/JSON")
        select new HostileRequest("valid", Utf8(Render(spec)), suffix, true, contentType, Valid: true);

    /// <summary>A valid body with exactly one field made invalid.</summary>
    private static Gen<HostileRequest> HostileField() =>
        from spec in ValidSpec()
        from mutation in Gen.OneOf(
            HostileTextIn(spec),
            WrongType(spec),
            ExtraMember(spec),
            OverLong(spec),
            BadValue(spec))
        select new HostileRequest("field: " + mutation.Kind, Utf8(mutation.Json), "", true, "application/json", Valid: false);

    private static Gen<(string Kind, string Json)> HostileTextIn(Spec spec) =>
        from field in Gen.Elements("loanId", "name", "partner", "metadata key", "metadata value", "currency", "amount", "account", "bankCode")
        from piece in Piece(HostilePieces)
        from at in Gen.Choose(0, 1000)
        select (field + " " + piece, Render(Insert(spec, field, piece, at)));

    private static Spec Insert(Spec spec, string field, string piece, int at)
    {
        List<string> Into(List<string> pieces)
        {
            var copy = pieces.ToList();
            copy.Insert(at % (copy.Count + 1), piece);
            return copy;
        }

        string IntoText(string text) => text.Insert(at % (text.Length + 1), piece);

        var metadata = spec.Metadata is { Count: > 0 } m ? m : [(["k"], ["v"])];
        return field switch
        {
            "loanId" => spec with { LoanId = Into(spec.LoanId) },
            "name" => spec with { Name = Into(spec.Name) },
            "partner" => spec with { Partner = IntoText("ycb") },
            "metadata key" => spec with { Metadata = [(Into(metadata[0].Key), metadata[0].Value), .. metadata.Skip(1)] },
            "metadata value" => spec with { Metadata = [(metadata[0].Key, Into(metadata[0].Value)), .. metadata.Skip(1)] },
            "currency" => spec with { Currency = IntoText(spec.Currency) },
            "amount" => spec with { Amount = IntoText(spec.Amount) },
            "account" => spec with { Account = IntoText(spec.Account) },
            _ => spec with { BankCode = IntoText(spec.BankCode) },
        };
    }

    private static readonly string[] NotAString =
        ["1", "-0", "1e400", "123456789012345678901234567890", "true", "false", "[]", "[\"x\"]", "{}", "{\"a\":1}"];

    private static Gen<(string Kind, string Json)> WrongType(Spec spec) =>
        from field in Gen.Elements("loanId", "amount", "currency", "beneficiary", "name", "account", "bankCode", "partner", "metadata", "metadata value")
        // An empty object is a valid metadata value: every other choice is the wrong type.
        from value in Gen.Elements(field == "metadata" ? [.. NotAString.Where(v => v != "{}")] : NotAString)
        select ($"{field} as {value}", Render(spec, field, value));

    private static Gen<(string Kind, string Json)> ExtraMember(Spec spec) =>
        from place in Gen.Elements("top", "beneficiary")
        from name in Gen.OneOf(Pieces(NamePieces, 1, 6).Select(p => "x" + string.Concat(p)), Gen.Elements(KnownFields), Gen.Elements("name", "accountNumber", "bankCode"))
        select ($"extra member {place}.{name}", Render(spec, extra: (place, name)));

    private static Gen<(string Kind, string Json)> OverLong(Spec spec) =>
        Gen.Elements(
            ("name of 65 characters", Render(spec with { Name = [.. Enumerable.Repeat("a", 65)] })),
            ("name of 1 character and 201 bytes", Render(spec with { Name = ["a", .. Enumerable.Repeat("\u0489", 100)] })),
            ("blank name", Render(spec with { Name = [" ", " "] })),
            ("empty name", Render(spec with { Name = [] })),
            ("loanId of 65 characters", Render(spec with { LoanId = [.. Enumerable.Repeat("L", 65)] })),
            ("loanId of 10000 characters", Render(spec with { LoanId = [.. Enumerable.Repeat("张", 10_000)] })),
            ("metadata key of 65 characters", Render(spec with { Metadata = [([.. Enumerable.Repeat("k", 65)], ["v"])] })),
            ("metadata value of 513 characters", Render(spec with { Metadata = [(["k"], [.. Enumerable.Repeat("v", 513)])] })),
            ("21 metadata entries", Render(spec with { Metadata = [.. Enumerable.Range(0, 21).Select(i => ((List<string>)[$"k{i}"], (List<string>)["v"]))] })));

    private static Gen<(string Kind, string Json)> BadValue(Spec spec) =>
        Gen.Elements(
            ("amount 0", Render(spec with { Amount = "0" })),
            ("amount -1", Render(spec with { Amount = "-1.00" })),
            ("amount 1.234", Render(spec with { Amount = "1.234" })),
            ("amount 1e3", Render(spec with { Amount = "1e3" })),
            ("amount full-width", Render(spec with { Amount = "\uff11\uff12" })),
            ("amount over the maximum", Render(spec with { Amount = "1000000.01" })),
            ("amount huge", Render(spec with { Amount = new string('9', 40) })),
            ("account of 7 digits", Render(spec with { Account = "6222020" })),
            ("account of 35 digits", Render(spec with { Account = new string('6', 35) })),
            ("account with Arabic-Indic digits", Render(spec with { Account = "\u0666\u0662\u0662\u0662\u0660\u0662\u0660\u0662" })),
            ("bank code of 1 letter", Render(spec with { BankCode = "I" })),
            ("currency USD", Render(spec with { Currency = "USD" })),
            ("currency cny", Render(spec with { Currency = "cny" })),
            ("partner unknown", Render(spec with { Partner = "nosuchbank" })),
            ("partner YCB", Render(spec with { Partner = "YCB" })));

    private static Gen<HostileRequest> HostileKey() =>
        from spec in ValidSpec()
        from key in Gen.OneOf(
            Gen.Constant<string?>(null),
            Gen.Constant<string?>(""),
            Gen.Choose(256, 2000).Select(n => (string?)new string('k', n)),
            from prefix in Alnum(1, 20)
            from bad in Gen.Elements("\u0001", "\u0000", "\u001f", "\u007f", "\t", "\u0080", "\u00e9", "\u00ff", "\u0416", "\u200b", "\u202e",
                "\ufeff", "\U0001F600", "\u5f20")
            from suffix in Alnum(0, 20)
            select (string?)(prefix + bad + suffix))
        select new HostileRequest("key", Utf8(Render(spec)), key, false, "application/json", Valid: false);

    private static Gen<HostileRequest> HostileContentType() =>
        from spec in ValidSpec()
        from contentType in Gen.Elements<string?>(
            null, "", "text/plain", "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/xml", "application/jsonx", "json", "*/*", "application/octet-stream", ";;;", "application/json\u00e9")
        select new HostileRequest("content-type", Utf8(Render(spec)), "", true, contentType, Valid: false);

    /// <summary>Any JSON value at all; never a valid payout, as its objects never hold an <c>amount</c>.</summary>
    private static Gen<HostileRequest> RandomShape() =>
        from json in Gen.Sized(size => JsonValue(Math.Min(size, 30)))
        select new HostileRequest("shape", Utf8(json), "", true, "application/json", Valid: false);

    private static Gen<string> JsonValue(int size)
    {
        var scalar = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-0", "1e400", "-1.5e-300", "123456789012345678901234567890", "\"\""),
            Pieces([.. NamePieces, .. HostilePieces], 0, 12).Select(p => $"\"{string.Concat(p)}\""));
        if (size <= 0)
        {
            return scalar;
        }

        var member = from name in Gen.OneOf(
                         Gen.Elements("loanId", "currency", "beneficiary", "partner", "metadata", "name", "accountNumber", "bankCode"),
                         Pieces([.. NamePieces, .. HostilePieces], 0, 6).Select(string.Concat))
                     from value in JsonValue(size / 3)
                     select $"\"{name}\":{value}";
        return Gen.Frequency(
            (2, scalar),
            (2, Gen.Choose(0, 6).SelectMany(n => Gen.ListOf(member, n)).Select(m => "{" + string.Join(",", m) + "}")),
            (1, Gen.Choose(0, 6).SelectMany(n => Gen.ListOf(JsonValue(size / 3), n)).Select(v => "[" + string.Join(",", v) + "]")));
    }

    private static Gen<HostileRequest> Broken() =>
        from spec in ValidSpec()
        from cut in Gen.Choose(0, 10_000)
        from depth in Gen.Choose(17, 3000)
        from bytes in Gen.Elements<byte[]>([0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE5, 0xBC], [0xF4, 0x90, 0x80, 0x80], [0x80])
        from kind in Gen.Choose(0, 7)
        let valid = Render(spec)
        select kind switch
        {
            0 => Case("cut", Utf8(valid[..(cut % valid.Length)])),
            1 => Case("trailing garbage", Utf8(valid + "}")),
            2 => Case("two documents", Utf8(valid + valid)),
            3 => Case("too deep", Utf8(new string('[', depth) + new string(']', depth))),
            4 => Case("too deep inside metadata", Utf8(Render(spec, "metadata", "{\"k\":" + new string('[', 20) + new string(']', 20) + "}"))),
            5 => Case("over 64 KiB", Utf8(Render(spec with { LoanId = [.. Enumerable.Repeat("x", 70 * 1024)] }))),
            6 => Case("not UTF-8 in the name", Splice(Render(spec with { Name = ["@@"] }), bytes)),
            _ => Case("comment", Utf8("/* hi */" + valid)),
        };

    private static HostileRequest Case(string kind, byte[] body) =>
        new("broken: " + kind, body, "", true, "application/json", Valid: false);

    private static byte[] Splice(string json, byte[] bytes)
    {
        var halves = json.Split("@@");
        return [.. Utf8(halves[0]), .. bytes, .. Utf8(halves[1])];
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// The body as JSON text, members in an order and with whitespace chosen by the spec's seed;
    /// <paramref name="replace"/> puts raw JSON in place of one field's value, <paramref name="extra"/> adds a member.
    /// </summary>
    private static string Render(Spec spec, string? replace = null, string? raw = null, (string Where, string Name)? extra = null)
    {
        var random = new Random(spec.Seed);
        string Str(IEnumerable<string> pieces) => $"\"{string.Concat(pieces)}\"";
        string Value(string field, string json) => field == replace ? raw! : json;

        var beneficiary = new List<(string, string)>
        {
            ("name", Value("name", Str(spec.Name))),
            ("accountNumber", Value("account", Str([spec.Account]))),
            ("bankCode", Value("bankCode", Str([spec.BankCode]))),
        };
        if (extra is { Where: "beneficiary" } b)
        {
            beneficiary.Add((b.Name, "\"x\""));
        }

        var top = new List<(string, string)>
        {
            ("loanId", Value("loanId", Str(spec.LoanId))),
            ("amount", Value("amount", Str([spec.Amount]))),
            ("currency", Value("currency", Str([spec.Currency]))),
            ("beneficiary", Value("beneficiary", Object(beneficiary, random))),
        };
        if (spec.Partner is not null || replace == "partner")
        {
            top.Add(("partner", Value("partner", Str([spec.Partner ?? "ycb"]))));
        }

        if (spec.Metadata is not null || replace is "metadata" or "metadata value")
        {
            var entries = spec.Metadata is { Count: > 0 } m ? m : [(["k"], ["v"])];
            var metadata = entries.Select((e, i) => (string.Concat(e.Key), i == 0 ? Value("metadata value", Str(e.Value)) : Str(e.Value))).ToList();
            top.Add(("metadata", Value("metadata", Object(metadata, random))));
        }

        if (extra is { Where: "top" } t)
        {
            top.Add((t.Name, "\"x\""));
        }

        return Object(top, random);
    }

    private static string Object(List<(string Name, string Json)> members, Random random)
    {
        string Space() => random.Next(4) switch { 0 => "", 1 => " ", 2 => "\n  ", _ => "\t" };
        var shuffled = members.OrderBy(_ => random.Next()).Select(m => $"{Space()}\"{m.Name}\"{Space()}:{Space()}{m.Json}{Space()}");
        return "{" + string.Join(",", shuffled) + "}";
    }
}
