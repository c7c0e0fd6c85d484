using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// Reads the raw strings of every scalar setting of the options classes before they are bound, so a
/// value that cannot be read becomes one start-up error naming its key (reported with every other
/// option error, <see cref="StartupErrors"/>) instead of a binder exception that hides the rest.
/// Durations must be written <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>): a bare number such as <c>10</c>,
/// which .NET would read as ten days, is refused. A refused value is replaced by the option's
/// default, so binding goes on and the other errors are still found.
/// </summary>
public static class SettingValues
{
    /// <summary>
    /// Checks the settings of <paramref name="options"/>: each is a section and its options class;
    /// a section ending in <c>:*</c> means every child section (e.g. <c>Partners:*</c>).
    /// </summary>
    public static WebApplicationBuilder CheckSettingValues(this WebApplicationBuilder builder, params (string Section, Type Options)[] options)
    {
        var errors = new List<string>();
        var replacements = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, type) in options)
        {
            var sections = section.EndsWith(":*", StringComparison.Ordinal)
                ? builder.Configuration.GetSection(section[..^2]).GetChildren().Select(c => c.Path)
                : [section];
            foreach (var path in sections)
            {
                Walk(builder.Configuration, path, type, errors, replacements, depth: 0);
            }
        }

        if (replacements.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(replacements);
        }

        builder.Services.AddOptions<SettingValueCheck>().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SettingValueCheck>>(new SettingValueValidator(errors));
        return builder;
    }

    /// <summary>The error for one raw value of <paramref name="type"/>, or null when it reads.</summary>
    internal static string? ErrorOf(string key, string raw, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(TimeSpan))
        {
            var text = raw.Trim();
            if (text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c == '.'))
            {
                return $"{key} is '{raw}': a bare number is ambiguous (.NET would read it as {text} days), use hh:mm:ss, e.g. 00:00:{Pad(text)} for {text} s.";
            }

            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out _)
                ? null
                : $"{key} is '{raw}', not a duration: use hh:mm:ss[.fff] or d.hh:mm:ss, e.g. 00:00:05 for 5 s, 00:00:00.250 for 250 ms.";
        }

        try
        {
            _ = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(raw);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException)
        {
            return $"{key} is '{raw}', not {Describe(target)}.";
        }
    }

    private static string Pad(string seconds) => int.TryParse(seconds, CultureInfo.InvariantCulture, out var s) && s is >= 0 and < 60
        ? s.ToString("00", CultureInfo.InvariantCulture)
        : "10";

    private static string Describe(Type type) => type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) || type == typeof(decimal) ? "a number (with a dot for decimals)"
        : $"a {type.Name}";

    private static bool IsScalar(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(TimeSpan) || target == typeof(int) || target == typeof(long) || target == typeof(double)
            || target == typeof(decimal) || target == typeof(bool);
    }

    private static void Walk(IConfiguration configuration, string path, Type type, List<string> errors,
        Dictionary<string, string?> replacements, int depth)
    {
        object? defaults = null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{path}:{property.Name}";
            if (IsScalar(property.PropertyType))
            {
                if (configuration[key] is { } raw && ErrorOf(key, raw, property.PropertyType) is { } error)
                {
                    errors.Add(error);
                    defaults ??= Activator.CreateInstance(type);
                    replacements[key] = Format(property.GetValue(defaults));
                }
            }
            else if (depth < 3 && property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.PropertyType.GetConstructor(Type.EmptyTypes) is not null && !typeof(System.Collections.IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                Walk(configuration, key, property.PropertyType, errors, replacements, depth + 1);
            }
        }
    }

    /// <summary>The default as configuration writes it; empty (unset) for a nullable without one.</summary>
    private static string Format(object? value) => value switch
    {
        null => "",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A marker options type: its validation reports the values <see cref="SettingValues"/> could not read.</summary>
public sealed class SettingValueCheck;

internal sealed class SettingValueValidator(IReadOnlyList<string> errors) : IValidateOptions<SettingValueCheck>
{
    public ValidateOptionsResult Validate(string? name, SettingValueCheck options) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
