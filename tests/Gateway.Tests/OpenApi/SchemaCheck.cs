using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Tests.OpenApi;

/// <summary>
/// A small JSON Schema check for the subset the gateway's OpenAPI 3.1 document uses: <c>$ref</c>
/// into <c>components/schemas</c>, <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>, <c>type</c> (one or
/// several), <c>enum</c>, <c>required</c>, <c>properties</c>, <c>additionalProperties</c>,
/// <c>items</c>, <c>pattern</c>, <c>minLength</c>/<c>maxLength</c>, <c>maxProperties</c>.
/// Anything else is not checked.
/// </summary>
internal sealed class SchemaCheck(JsonElement document)
{
    private const string ComponentPrefix = "#/components/schemas/";

    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>, each with its JSON path; empty when it validates.</summary>
    public List<string> Errors(JsonElement schema, JsonElement value)
    {
        var errors = new List<string>();
        Check(schema, value, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), value, path, errors);
        }

        foreach (var all in Array(schema, "allOf"))
        {
            Check(all, value, path, errors);
        }

        foreach (var keyword in new[] { "oneOf", "anyOf" })
        {
            var choices = Array(schema, keyword);
            if (choices.Length > 0 && !choices.Any(c => Errors(c, value).Count == 0))
            {
                errors.Add($"{path}: matches none of {keyword} ({string.Join(" | ", choices.SelectMany(c => Errors(c, value)))})");
            }
        }

        if (schema.TryGetProperty("type", out var type) && !Types(type).Any(t => HasType(value, t)))
        {
            errors.Add($"{path}: {value.ValueKind} is not {type.GetRawText()}");
            return;
        }

        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {options.GetRawText()}");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                CheckString(schema, value.GetString()!, path, errors);
                break;
            case JsonValueKind.Object:
                CheckObject(schema, value, path, errors);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(items, item, $"{path}[{index++}]", errors);
                }

                break;
        }
    }

    private static void CheckString(JsonElement schema, string text, string path, List<string> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (schema.TryGetProperty("minLength", out var min) && length < min.GetInt32())
        {
            errors.Add($"{path}: shorter than {min.GetInt32()}");
        }

        if (schema.TryGetProperty("maxLength", out var max) && length > max.GetInt32())
        {
            errors.Add($"{path}: longer than {max.GetInt32()}");
        }

        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{path}: \"{text}\" does not match {pattern.GetString()}");
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        foreach (var required in Array(schema, "required"))
        {
            if (!value.TryGetProperty(required.GetString()!, out _))
            {
                errors.Add($"{path}.{required.GetString()}: required, missing");
            }
        }

        if (schema.TryGetProperty("maxProperties", out var most) && value.EnumerateObject().Count() > most.GetInt32())
        {
            errors.Add($"{path}: more than {most.GetInt32()} members");
        }

        var properties = schema.TryGetProperty("properties", out var declared) ? declared : default;
        var additional = schema.TryGetProperty("additionalProperties", out var extra) ? extra : default;
        foreach (var member in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var property))
            {
                Check(property, member.Value, $"{path}.{member.Name}", errors);
            }
            else if (additional.ValueKind != JsonValueKind.Undefined)
            {
                Check(additional, member.Value, $"{path}.{member.Name}", errors);
            }
        }
    }

    private JsonElement Resolve(string reference)
    {
        Assert.StartsWith(ComponentPrefix, reference, StringComparison.Ordinal);
        return document.GetProperty("components").GetProperty("schemas").GetProperty(reference[ComponentPrefix.Length..]);
    }

    private static JsonElement[] Array(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : [];

    private static IEnumerable<string> Types(JsonElement type) =>
        type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!];

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string" => value.ValueKind == JsonValueKind.String,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number
            && decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number),
        _ => true,
    };
}
