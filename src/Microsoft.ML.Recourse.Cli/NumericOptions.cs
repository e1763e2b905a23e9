using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Microsoft.ML.Recourse.Cli;

/// <summary>
/// Parsing of the numeric options: every <c>int</c> and <c>double</c> option reads invariant text and says what it
/// accepts in terms of the flag (<c>--n expects a whole number from 0 to 2147483647; got '1e9'.</c>), never a .NET type
/// name. A command declares an option's range with <see cref="Range(Option{int}, int, int)"/> and its siblings; the
/// root command gives every numeric option that declares none its type's range (<see cref="ApplyDefaults"/>), so no
/// numeric option is left with System.CommandLine's own message.
/// </summary>
internal static class NumericOptions
{
    /// <summary>Accepts whole numbers in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<int> Range(this Option<int> option, int minimum, int maximum)
    {
        option.CustomParser = result => ParseInt(result, option.Name, minimum, maximum) ?? default;
        return option;
    }

    /// <summary>Accepts whole numbers in [<paramref name="minimum"/>, <paramref name="maximum"/>] (the option may be absent).</summary>
    public static Option<int?> Range(this Option<int?> option, int minimum, int maximum)
    {
        option.CustomParser = result => ParseInt(result, option.Name, minimum, maximum);
        return option;
    }

    /// <summary>Accepts finite numbers between <paramref name="minimum"/> and <paramref name="maximum"/>, each bound included
    /// unless its <c>exclusive</c> flag says otherwise.</summary>
    public static Option<double> Range(this Option<double> option, double minimum, double maximum, bool minimumExclusive = false, bool maximumExclusive = false)
    {
        option.CustomParser = result => ParseDouble(result, option.Name, new DoubleRange(minimum, maximum, minimumExclusive, maximumExclusive)) ?? default;
        return option;
    }

    /// <summary>Gives every numeric option under <paramref name="command"/> without a declared range its type's range.</summary>
    public static void ApplyDefaults(System.CommandLine.Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> { CustomParser: not null } or Option<int?> { CustomParser: not null } or Option<double> { CustomParser: not null }: break;
                case Option<int> i: i.Range(int.MinValue, int.MaxValue); break;
                case Option<int?> n: n.Range(int.MinValue, int.MaxValue); break;
                case Option<double> d: d.Range(double.MinValue, double.MaxValue); break;
                case Option<long> or Option<long?> or Option<float> or Option<float?> or Option<double?>:
                    throw new InvalidOperationException($"Option {option.Name} has a numeric type without a parser in NumericOptions.");
            }
        }
        foreach (var sub in command.Subcommands) ApplyDefaults(sub);
    }

    /// <summary>What an option accepts, in words (for messages and tests).</summary>
    public static string Describe(int minimum, int maximum)
        => minimum == int.MinValue && maximum == int.MaxValue ? "a whole number"
            : maximum == int.MaxValue ? Invariant($"a whole number ≥ {minimum}")
            : Invariant($"a whole number from {minimum} to {maximum}");

    private readonly record struct DoubleRange(double Minimum, double Maximum, bool MinimumExclusive, bool MaximumExclusive)
    {
        public bool Contains(double value)
            => (MinimumExclusive ? value > Minimum : value >= Minimum) && (MaximumExclusive ? value < Maximum : value <= Maximum);

        public override string ToString()
        {
            string low = (MinimumExclusive ? "> " : "≥ ") + Minimum.ToString(CultureInfo.InvariantCulture);
            string high = (MaximumExclusive ? "< " : "≤ ") + Maximum.ToString(CultureInfo.InvariantCulture);
            return Minimum == double.MinValue && Maximum == double.MaxValue ? "a finite number"
                : Maximum == double.MaxValue ? $"a finite number {low}"
                : Minimum == double.MinValue ? $"a finite number {high}"
                : $"a number {low} and {high}";
        }
    }

    private static int? ParseInt(ArgumentResult result, string name, int minimum, int maximum)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        // Whole numbers may be written with an exponent (1e6).
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value == Math.Floor(value)
            && value >= minimum && value <= maximum)
            return (int)value;
        result.AddError($"{name} expects {Describe(minimum, maximum)}; got '{text}'.");
        return null;
    }

    private static double? ParseDouble(ArgumentResult result, string name, DoubleRange range)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && range.Contains(value))
            return value;
        result.AddError($"{name} expects {range}; got '{text}'.");
        return null;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
