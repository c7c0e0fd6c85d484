using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Health;

/// <summary>
/// A health report as JSON in the HealthChecks UI format:
/// <c>{"status":"Healthy","totalDuration":"00:00:00.0012","entries":{"redis":{"status":...,"description":...,"duration":...,"tags":[...],"data":{}}}}</c>.
/// Exceptions are never written (their messages may name internals); the description says what failed.
/// </summary>
internal static class HealthJson
{
    public static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteString("totalDuration", Duration(report.TotalDuration));
        json.WriteStartObject("entries");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is not null)
            {
                json.WriteString("description", entry.Description);
            }

            json.WriteString("duration", Duration(entry.Duration));
            json.WriteStartArray("tags");
            foreach (var tag in entry.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    private static string Duration(TimeSpan duration) => duration.ToString("c", CultureInfo.InvariantCulture);
}
