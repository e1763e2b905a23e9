namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// A general linear constraint on an action, affine in the current row, written in the features' original units:
/// <c>Σⱼ ChangeCoefficients[j] · Δⱼ + Σⱼ ValueCoefficients[j] · xⱼ + Constant ≥ 0</c>, where Δⱼ is the change of
/// feature j and xⱼ its current value, both in original units. Because the row enters, a constraint can depend on
/// where the person stands, e.g. "amount may fall by at most half its current value" is
/// <c>Δ_amount + 0.5 · x_amount ≥ 0</c>.
/// </summary>
/// <param name="Name">A name used in error messages, e.g. <c>amount-halving</c>.</param>
/// <param name="ChangeCoefficients">The coefficients of the changes, by feature name; at least one.</param>
/// <param name="ValueCoefficients">The coefficients of the current values, by feature name, or <see langword="null"/> for none.</param>
/// <param name="Constant">The constant term.</param>
public sealed record LinearActionConstraint(
    string Name,
    IReadOnlyDictionary<string, double> ChangeCoefficients,
    IReadOnlyDictionary<string, double>? ValueCoefficients = null,
    double Constant = 0);
