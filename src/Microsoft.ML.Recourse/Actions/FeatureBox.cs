namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// The box lower ≤ δⱼ ≤ upper of one feature's change in Δ(x), compiled once per <see cref="ActionSet"/>: the ends depend
/// on the row only through xⱼ (clipping at the bounds, and the grid), so the maximum change and the bounds in model
/// units are worked out here once instead of for every row. The single definition of a feature's box.
/// </summary>
/// <remarks>
/// Every box contains 0: a bound limits where a change may lead but never forces one. A member of a one-hot group
/// moves between 0 and 1 and ignores the maximum change. The box of a grid feature is tightened to the outermost grid
/// points inside it, so its ends are allowed values.
/// </remarks>
internal sealed class FeatureBox
{
    private readonly FeatureInfo _feature;
    private readonly FeatureAction _action;
    private readonly bool _isIndicator;
    private readonly bool _canDecrease;
    private readonly bool _canIncrease;
    private readonly double _maximumChange;
    private readonly double _lowerValue;
    private readonly double _upperValue;

    public FeatureBox(FeatureInfo feature, FeatureAction action, bool isIndicator)
    {
        _feature = feature;
        _action = action;
        _isIndicator = isIndicator;
        _canDecrease = action.Actionability is not (FeatureActionability.Immutable or FeatureActionability.IncreaseOnly);
        _canIncrease = action.Actionability is not (FeatureActionability.Immutable or FeatureActionability.DecreaseOnly);
        _maximumChange = action.MaximumChange * action.StandardScale;
        _lowerValue = feature.FromOriginal(action.LowerBound);
        _upperValue = feature.FromOriginal(action.UpperBound);
    }

    /// <summary>Gets both ends of the box for the row value <paramref name="x"/>.</summary>
    public (double Lower, double Upper) At(double x) => (Lower(x), Upper(x));

    /// <summary>Gets the lower end (≤ 0; <see cref="double.NegativeInfinity"/> when unlimited) for the row value <paramref name="x"/>.</summary>
    public double Lower(double x)
    {
        if (!_canDecrease) return 0;
        double lower = _isIndicator ? -x : Math.Min(Math.Max(-_maximumChange, _lowerValue - x), 0);
        if (_action.GridStep is not double step) return lower;
        double current = _feature.ToOriginal(x);
        double bottom = _action.GridOrigin + step * Math.Ceiling((_feature.ToOriginal(x + lower) - _action.GridOrigin) / step - 1e-9);
        return lower < 0 && bottom < current ? _feature.FromOriginal(bottom) - x : 0;
    }

    /// <summary>Gets the upper end (≥ 0; <see cref="double.PositiveInfinity"/> when unlimited) for the row value <paramref name="x"/>.</summary>
    public double Upper(double x)
    {
        if (!_canIncrease) return 0;
        double upper = _isIndicator ? 1 - x : Math.Max(Math.Min(_maximumChange, _upperValue - x), 0);
        if (_action.GridStep is not double step) return upper;
        double current = _feature.ToOriginal(x);
        double top = _action.GridOrigin + step * Math.Floor((_feature.ToOriginal(x + upper) - _action.GridOrigin) / step + 1e-9);
        return upper > 0 && top > current ? _feature.FromOriginal(top) - x : 0;
    }
}
