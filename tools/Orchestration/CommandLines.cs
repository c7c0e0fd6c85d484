using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace Orchestration;

/// <summary>
/// What the System.CommandLine programs (sandbox, load suite, chaos suite) share: range-checked
/// number options whose error names the flag, the range and the value, and one way out for
/// usage errors (the messages and the usage on standard error, exit code <see cref="UsageError"/>)
/// and for <c>--help</c> (exit code 0).
/// </summary>
public static class CommandLines
{
    /// <summary>The exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>A number option from <paramref name="min"/> to <paramref name="max"/>; anything else is a usage error naming it.</summary>
    public static Option<double> Number(string name, double min, double max, string description) => new(name)
    {
        Description = description,
        HelpName = "number",
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            result.AddError($"{name} must be a number from {min} to {max}, not '{value}'.");
            return 0;
        },
    };

    /// <summary>A whole-number option from <paramref name="min"/> to <paramref name="max"/> (a value with decimals is truncated, as before System.CommandLine).</summary>
    public static Option<int> Whole(string name, int min, int max, string description) => new(name)
    {
        Description = description,
        HelpName = "n",
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return (int)number;
            }

            result.AddError($"{name} must be a number from {min} to {max}, not '{value}'.");
            return 0;
        },
    };

    /// <summary>True when the option was on the command line (not a default).</summary>
    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>
    /// Ends a parse that cannot go on: usage errors (each message, then <paramref name="usage"/>, on
    /// <paramref name="error"/>) give <see cref="UsageError"/>; <c>--help</c> writes the help to
    /// <paramref name="output"/> and gives 0. Null when the program should run.
    /// </summary>
    public static int? Exit(ParseResult parse, TextWriter output, TextWriter error, string usage)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine(problem.Message);
            }

            error.WriteLine(usage);
            return UsageError;
        }

        if (parse.Action is HelpAction)
        {
            parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
            return 0;
        }

        return null;
    }

    /// <summary>A usage error found after parsing (two options that do not go together, ...): the message and the usage, exit code <see cref="UsageError"/>.</summary>
    public static int Fail(TextWriter error, string message, string usage)
    {
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine(message);
        error.WriteLine(usage);
        return UsageError;
    }
}
