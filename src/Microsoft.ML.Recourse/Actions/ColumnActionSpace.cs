using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>How the cost of a change to a person's raw columns is measured.</summary>
public enum ColumnCostFunction
{
    /// <summary>
    /// Σ wⱼ·|toⱼ − fromⱼ| / sⱼ over the numeric columns, sⱼ the column's standard deviation in the training data (1 when
    /// it is 0), plus wⱼ for every categorical column whose value changes. The default.
    /// </summary>
    ScaledL1,

    /// <summary>Σ wⱼ over the columns that change (L0).</summary>
    ChangedColumns,

    /// <summary>
    /// Σ wⱼ·|Qⱼ(toⱼ) − Qⱼ(fromⱼ)| over the numeric columns, Qⱼ the empirical CDF of the column in the training data (Ustun,
    /// Spangher &amp; Liu 2019), plus wⱼ for every categorical column whose value changes.
    /// </summary>
    PercentileShift,
}

/// <summary>One column of a <see cref="ColumnActionSpace"/>: what a person may do with it and what a change costs.</summary>
internal abstract class ColumnSpace
{
    protected ColumnSpace(string name, int index, DataViewType type, bool mutable, double costWeight)
    {
        Name = name;
        Index = index;
        Type = type;
        Mutable = mutable;
        CostWeight = costWeight;
    }

    /// <summary>Gets the column name.</summary>
    public string Name { get; }

    /// <summary>Gets the position of the column's value in a raw row (<see cref="RawRows"/>).</summary>
    public int Index { get; }

    /// <summary>Gets the column's type in the model's input schema.</summary>
    public DataViewType Type { get; }

    /// <summary>Gets whether the column may change at all.</summary>
    public bool Mutable { get; }

    /// <summary>Gets the column's cost weight wⱼ.</summary>
    public double CostWeight { get; }

    /// <summary>Whether a person whose value is <paramref name="from"/> may change it to <paramref name="to"/>; <paramref name="reason"/> says why not.</summary>
    public abstract bool Allows(object from, object to, out string reason);

    /// <summary>The cost of changing the value (0 when unchanged).</summary>
    public abstract double Cost(object from, object to, ColumnCostFunction function);

    /// <summary>Whether two values of the column are the same.</summary>
    public abstract bool Same(object from, object to);
}

/// <summary>A numeric column (Single, Double, Int32, Int64 or UInt32): bounds, direction, whole steps, largest change.</summary>
internal sealed class NumericColumnSpace : ColumnSpace
{
    private readonly double[] _sortedTraining;

    public NumericColumnSpace(string name, int index, DataViewType type, bool mutable, double costWeight, ColumnDirection direction,
        double lower, double upper, bool isInteger, double spread, double maximumChange, double[] sortedTraining)
        : base(name, index, type, mutable, costWeight)
    {
        Direction = direction;
        Lower = lower;
        Upper = upper;
        IsInteger = isInteger;
        Spread = spread;
        MaximumChange = maximumChange;
        _sortedTraining = sortedTraining;
    }

    public ColumnDirection Direction { get; }

    /// <summary>Gets the lowest value a change may lead to (a person below it may stay there).</summary>
    public double Lower { get; }

    /// <summary>Gets the highest value a change may lead to.</summary>
    public double Upper { get; }

    /// <summary>Gets whether values are whole numbers.</summary>
    public bool IsInteger { get; }

    /// <summary>Gets the training standard deviation sⱼ (1 when the column is constant).</summary>
    public double Spread { get; }

    /// <summary>Gets the largest change, in the column's units (∞ for none).</summary>
    public double MaximumChange { get; }

    /// <summary>Gets the sorted training values (the percentile cost's CDF).</summary>
    public IReadOnlyList<double> SortedTraining => _sortedTraining;

    /// <summary>
    /// The interval a person at <paramref name="from"/> may move to: the bounds, the direction and the largest change
    /// (always containing <paramref name="from"/> itself); empty movement for an immutable column or a missing value.
    /// </summary>
    public (double Low, double High) Range(double from)
    {
        if (!Mutable || double.IsNaN(from)) return (from, from);
        double low = Math.Max(Lower, from - MaximumChange), high = Math.Min(Upper, from + MaximumChange);
        if (Direction == ColumnDirection.Increase) low = from;
        if (Direction == ColumnDirection.Decrease) high = from;
        return (Math.Min(low, from), Math.Max(high, from));
    }

    /// <summary>The nearest value to <paramref name="value"/> inside [low, high] that the column's type holds exactly (whole when integer), or NaN when there is none.</summary>
    public double Representable(double value, double low, double high)
    {
        double v = Math.Clamp(value, low, high);
        if (IsInteger)
        {
            v = Math.Round(v);
            if (v < low) v = Math.Ceiling(low);
            if (v > high) v = Math.Floor(high);
            if (v < low || v > high) return double.NaN;
        }
        if (Type == NumberDataViewType.Single)
        {
            float f = (float)v;
            if (f < low) f = MathF.BitIncrement(f);
            if (f > high) f = MathF.BitDecrement(f);
            if (IsInteger && f != Math.Round(f)) return double.NaN;
            return f >= low && f <= high ? f : double.NaN;
        }
        return v;
    }

    /// <summary>The raw value of <paramref name="value"/> in the column's type (a float for Single, etc.).</summary>
    public object ToRaw(double value) => RawRows.FromDouble(Type, value);

    public override bool Same(object from, object to) => RawRows.ToDouble(from).Equals(RawRows.ToDouble(to));

    public override bool Allows(object from, object to, out string reason)
    {
        double x = RawRows.ToDouble(from), y = RawRows.ToDouble(to);
        reason = "";
        if (x.Equals(y)) return true;
        if (!Mutable) return Fail(out reason, "the column is immutable");
        if (double.IsNaN(x)) return Fail(out reason, "the person's value is missing, and a missing value stays missing");
        if (!double.IsFinite(y)) return Fail(out reason, "the new value is not finite");
        var (low, high) = Range(x);
        const double tolerance = 1e-9;
        if (y < low - tolerance * (1 + Math.Abs(low)) || y > high + tolerance * (1 + Math.Abs(high)))
            return Fail(out reason, string.Create(CultureInfo.InvariantCulture, $"{y} is outside the allowed range [{low}, {high}] from {x}"));
        if (IsInteger && y != Math.Round(y)) return Fail(out reason, string.Create(CultureInfo.InvariantCulture, $"{y} is not a whole number"));
        return true;
    }

    public override double Cost(object from, object to, ColumnCostFunction function)
    {
        double x = RawRows.ToDouble(from), y = RawRows.ToDouble(to);
        if (x.Equals(y)) return 0;
        return function switch
        {
            ColumnCostFunction.ChangedColumns => CostWeight,
            ColumnCostFunction.PercentileShift => CostWeight * Math.Abs(Quantile(y) - Quantile(x)),
            _ => CostWeight * Math.Abs(y - x) / Spread,
        };
    }

    /// <summary>Qⱼ(v): the share of training values at most v.</summary>
    public double Quantile(double v)
    {
        if (_sortedTraining.Length == 0) return 0;
        double limit = v + 1e-9 * (1 + Math.Abs(v));
        int lo = 0, hi = _sortedTraining.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_sortedTraining[mid] <= limit) lo = mid + 1; else hi = mid;
        }
        return lo / (double)_sortedTraining.Length;
    }

    private static bool Fail(out string reason, string why)
    {
        reason = why;
        return false;
    }
}

/// <summary>
/// A categorical column (text or Boolean): the values it may take and, when ordered, the direction. Values the action
/// set does not list (but the model or the training data knows) may be left but not entered.
/// </summary>
internal sealed class CategoricalColumnSpace : ColumnSpace
{
    private readonly HashSet<string> _enterable;
    private readonly Dictionary<string, int> _order;

    // categories: every known value as text, the listed ones first in the listed order; enterable: the values a change
    // may lead to (the listed ones, or all when none are listed); isOrdered: whether the order with direction binds.
    public CategoricalColumnSpace(string name, int index, DataViewType type, bool mutable, double costWeight, IReadOnlyList<string> categories,
        IReadOnlyCollection<string> enterable, bool isOrdered, ColumnDirection direction, IReadOnlyList<double> frequencies)
        : base(name, index, type, mutable, costWeight)
    {
        Categories = categories;
        _enterable = new HashSet<string>(enterable, StringComparer.Ordinal);
        IsOrdered = isOrdered;
        Direction = direction;
        Frequencies = frequencies;
        _order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < categories.Count; k++) _order[categories[k]] = k;
    }

    /// <summary>Gets every known value as text, the listed ones first in the listed order.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Gets the share of training rows holding each of <see cref="Categories"/>.</summary>
    public IReadOnlyList<double> Frequencies { get; }

    public bool IsOrdered { get; }

    public ColumnDirection Direction { get; }

    /// <summary>Whether a change may lead to <paramref name="category"/>.</summary>
    public bool IsEnterable(string category) => _enterable.Contains(category);

    /// <summary>The values a person holding <paramref name="from"/> may change to, in <see cref="Categories"/> order.</summary>
    public IEnumerable<string> Targets(string from)
    {
        if (!Mutable) yield break;
        foreach (var c in Categories)
            if (c != from && Allows(from, c)) yield return c;
    }

    /// <summary>The raw value of a category text in the column's type (a Boolean for a Boolean column).</summary>
    public object ToRaw(string category) => Type is BooleanDataViewType ? bool.Parse(category) : category;

    /// <summary>The text of a raw value.</summary>
    public static string TextOf(object value) => value switch
    {
        bool b => b ? "True" : "False",
        _ => value.ToString() ?? "",
    };

    public override bool Same(object from, object to) => TextOf(from) == TextOf(to);

    public override bool Allows(object from, object to, out string reason)
    {
        string x = TextOf(from), y = TextOf(to);
        reason = "";
        if (x == y) return true;
        if (!Mutable) { reason = "the column is immutable"; return false; }
        if (!_enterable.Contains(y)) { reason = $"'{y}' is not among the values the column may change to"; return false; }
        if (IsOrdered && Direction != ColumnDirection.Any && _order.TryGetValue(x, out int a) && _enterable.Contains(x))
        {
            int b = _order[y];
            if (Direction == ColumnDirection.Increase && b < a) { reason = $"'{y}' comes before '{x}' and the column may only increase"; return false; }
            if (Direction == ColumnDirection.Decrease && b > a) { reason = $"'{y}' comes after '{x}' and the column may only decrease"; return false; }
        }
        return true;
    }

    private bool Allows(string from, string to) => Allows(from, to, out _);

    public override double Cost(object from, object to, ColumnCostFunction function) => Same(from, to) ? 0 : CostWeight;
}

/// <summary>
/// A <see cref="ColumnActionSet"/> bound to a model's raw input schema and the training data: for every scalar
/// numeric, text or Boolean input column, what a person may do with it and what it costs. Other input columns (vectors,
/// dates) are context that never changes. Raw rows (<see cref="RawRows"/>) hold one value per input column.
/// </summary>
internal sealed class ColumnActionSpace
{
    private ColumnActionSpace(DataViewSchema inputSchema, IReadOnlyList<ColumnSpace> columns, ColumnCostFunction costFunction)
    {
        InputSchema = inputSchema;
        RawColumns = RawRows.Columns(inputSchema);
        Columns = columns;
        CostFunction = costFunction;
    }

    /// <summary>Gets the model's input schema; raw rows follow its columns.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Gets the visible input columns: the positions of a raw row.</summary>
    public IReadOnlyList<DataViewSchema.Column> RawColumns { get; }

    /// <summary>Gets the columns a person acts on (mutable or not), in schema order.</summary>
    public IReadOnlyList<ColumnSpace> Columns { get; }

    /// <summary>Gets the cost function.</summary>
    public ColumnCostFunction CostFunction { get; }

    /// <summary>Gets the columns that may change.</summary>
    public IEnumerable<ColumnSpace> MutableColumns => Columns.Where(c => c.Mutable);

    /// <summary>The column named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public ColumnSpace? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The cost of changing raw row <paramref name="from"/> into <paramref name="to"/>.</summary>
    public double Cost(object?[] from, object?[] to)
    {
        double cost = 0;
        foreach (var c in Columns) cost += c.Cost(from[c.Index]!, to[c.Index]!, CostFunction);
        return cost;
    }

    /// <summary>Whether the change from <paramref name="from"/> to <paramref name="to"/> respects every rule; <paramref name="reason"/> names the first broken one.</summary>
    public bool Allows(object?[] from, object?[] to, out string reason)
    {
        for (int i = 0; i < from.Length; i++)
        {
            var column = Columns.FirstOrDefault(c => c.Index == i);
            if (column is null)
            {
                if (!RawRows.SameValue(from[i], to[i]))
                {
                    reason = $"column '{RawColumns[i].Name}' is context and cannot change";
                    return false;
                }
                continue;
            }
            if (!column.Allows(from[i]!, to[i]!, out string why))
            {
                reason = $"column '{column.Name}': {why}";
                return false;
            }
        }
        reason = "";
        return true;
    }

    /// <summary>
    /// Binds <paramref name="actions"/> to the model's raw input schema with statistics of <paramref name="training"/>
    /// (read by column name): standard deviations, ranges, whole-number columns, percentiles and the values of
    /// categorical columns. <paramref name="knownCategories"/> adds the values a model's encoder knows.
    /// </summary>
    /// <remarks>
    /// Columns in <paramref name="contextColumns"/> (the label) are context. A text column the action set does not list
    /// and that holds more than <see cref="MaximumUnlistedCategories"/> distinct training values is free text, not a
    /// category: it stays immutable unless the action set lists it.
    /// </remarks>
    public static ColumnActionSpace Bind(ColumnActionSet actions, DataViewSchema inputSchema, IDataView training, ColumnCostFunction costFunction,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? knownCategories = null, IReadOnlyCollection<string>? contextColumns = null)
    {
        Contracts.CheckValue(actions, nameof(actions));
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        Contracts.CheckValue(training, nameof(training));
        Contracts.CheckParam(Enum.IsDefined(costFunction), nameof(costFunction), $"Unknown cost function {costFunction}.");
        var columns = RawRows.Columns(inputSchema);
        foreach (var name in actions.Columns.Keys)
        {
            var column = columns.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentOutOfRangeException(nameof(actions),
                    $"The action set names column '{name}', which is not an input column of the model; its input columns are: {string.Join(", ", columns.Select(c => c.Name))}.");
            if (!IsActionable(column.Type))
                throw new ArgumentOutOfRangeException(nameof(actions),
                    $"The action set names column '{name}' of type {column.Type}; actions apply to scalar numeric, text and Boolean columns.");
            if (contextColumns?.Contains(name) == true)
                throw new ArgumentOutOfRangeException(nameof(actions), $"The action set names column '{name}', the label; the label is never acted on.");
        }

        var spaces = new List<ColumnSpace>();
        for (int i = 0; i < columns.Count; i++)
        {
            var (name, type) = (columns[i].Name, columns[i].Type);
            if (!IsActionable(type) || contextColumns?.Contains(name) == true) continue;
            var action = actions.Columns.GetValueOrDefault(name);
            bool mutable = action?.Mutable ?? actions.Default == ColumnDefault.Free;
            double weight = action?.CostWeight ?? 1;
            var trainingColumn = training.Schema.GetColumnOrNull(name);
            if (trainingColumn is not { IsHidden: false } || !trainingColumn.Value.Type.Equals(type))
                throw new ArgumentOutOfRangeException(nameof(training), trainingColumn is null
                    ? $"The training data has no column '{name}'; the statistics of the action set are read from the training data by column name."
                    : $"Column '{name}' of the training data is {trainingColumn.Value.Type}, the model's input is {type}.");
            if (type is TextDataViewType or BooleanDataViewType)
            {
                if (action is { Lower: not null } or { Upper: not null } or { Integer: not null } or { MaximumChange: not null })
                    throw new ArgumentOutOfRangeException(nameof(actions), $"Column '{name}' is {type}: lower, upper, integer and maximumChange do not apply to it.");
                var values = RawRows.ReadColumn(training, trainingColumn.Value).Select(v => CategoricalColumnSpace.TextOf(v!)).ToArray();
                var counts = values.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                var known = new List<string>();
                if (action?.Categories is { } listed) known.AddRange(listed);
                foreach (var v in (knownCategories?.GetValueOrDefault(name) ?? []).Concat(type is BooleanDataViewType ? ["False", "True"] : counts.Keys.Order(StringComparer.Ordinal)))
                    if (!known.Contains(v, StringComparer.Ordinal)) known.Add(v);
                if (type is BooleanDataViewType && action?.Categories is { } b && b.FirstOrDefault(c => c is not ("True" or "False")) is { } bad)
                    throw new ArgumentOutOfRangeException(nameof(actions), $"Column '{name}' is Boolean; its categories are \"True\" and \"False\", not '{bad}'.");
                if (action is null && type is TextDataViewType && counts.Count > MaximumUnlistedCategories) mutable = false;
                var enterable = action?.Categories ?? known;
                var direction = action?.Direction ?? ColumnDirection.Any;
                if (direction != ColumnDirection.Any && action?.Categories is null && type is TextDataViewType)
                    throw new ArgumentOutOfRangeException(nameof(actions),
                        $"Column '{name}' has direction {direction.ToString().ToLowerInvariant()} but no categories: list them in order so the direction has a meaning.");
                spaces.Add(new CategoricalColumnSpace(name, i, type, mutable, weight, known, enterable.ToArray(),
                    isOrdered: action?.Categories is not null || type is BooleanDataViewType, direction,
                    known.Select(k => counts.GetValueOrDefault(k) / (double)Math.Max(1, values.Length)).ToArray()));
            }
            else
            {
                if (action?.Categories is not null)
                    throw new ArgumentOutOfRangeException(nameof(actions), $"Column '{name}' is numeric ({type}); categories apply to text and Boolean columns.");
                var values = RawRows.ReadColumn(training, trainingColumn.Value).Select(v => RawRows.ToDouble(v!)).Where(double.IsFinite).ToArray();
                Contracts.Check(values.Length > 0, $"Column '{name}' has no finite value in the training data: the action set's statistics need at least one.");
                Array.Sort(values);
                double mean = values.Average();
                double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
                bool integerType = type is NumberDataViewType n && (n == NumberDataViewType.Int32 || n == NumberDataViewType.Int64 || n == NumberDataViewType.UInt32);
                bool isInteger = integerType || (action?.Integer ?? values.All(v => v == Math.Round(v)));
                double lower = action?.Lower ?? values[0], upper = action?.Upper ?? values[^1];
                if (lower > upper)
                    throw new ArgumentOutOfRangeException(nameof(actions), string.Create(CultureInfo.InvariantCulture,
                        $"The bounds of column '{name}' contradict each other: lower {lower} > upper {upper}."));
                double spread = sd > 0 ? sd : 1;
                double maximumChange = (action?.MaximumChange ?? actions.MaximumChange ?? double.PositiveInfinity) * spread;
                spaces.Add(new NumericColumnSpace(name, i, type, mutable, weight, action?.Direction ?? ColumnDirection.Any, lower, upper, isInteger,
                    spread, maximumChange, values));
            }
        }
        return new ColumnActionSpace(inputSchema, spaces, costFunction);
    }

    /// <summary>The most distinct values an unlisted text column may hold and still count as a category that may change.</summary>
    public const int MaximumUnlistedCategories = 100;

    private static bool IsActionable(DataViewType type) => type is TextDataViewType or BooleanDataViewType || RawRows.IsNumeric(type);
}
