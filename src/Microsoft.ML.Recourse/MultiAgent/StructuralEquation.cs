using MathNet.Numerics.LinearAlgebra;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>The deterministic part f(x_pa) of an additive-noise structural equation X := f(x_pa) + U.</summary>
/// <param name="parentValues">The parents' values, in the order of <see cref="StructuralEquation.Parents"/>.</param>
public delegate double StructuralFunction(ReadOnlySpan<double> parentValues);

/// <summary>
/// A structural equation with additive noise, X := f(X_pa) + U. Additive noise makes abduction exact:
/// the individual's noise is u = x − f(x_pa).
/// </summary>
public abstract class StructuralEquation
{
    private protected StructuralEquation(IReadOnlyList<string> parents)
    {
        Contracts.CheckValue(parents, nameof(parents));
        for (int k = 0; k < parents.Count; k++)
            Contracts.CheckParam(!string.IsNullOrWhiteSpace(parents[k]), nameof(parents), $"Parent {k} has no name.");
        Contracts.CheckParam(parents.Distinct(StringComparer.Ordinal).Count() == parents.Count, nameof(parents),
            $"A parent appears twice in ({string.Join(", ", parents)}).");
        Parents = parents.ToArray();
    }

    /// <summary>Gets the names of the parent variables.</summary>
    public IReadOnlyList<string> Parents { get; }

    /// <summary>Gets whether f is affine in the parents (needed by the mixed-integer program).</summary>
    public abstract bool IsLinear { get; }

    /// <summary>Computes f(x_pa), the value of the variable when its noise is zero.</summary>
    /// <param name="parentValues">The parents' values, in the order of <see cref="Parents"/>.</param>
    public abstract double Evaluate(ReadOnlySpan<double> parentValues);

    /// <summary>The equation X := U of a variable without parents (an exogenous variable).</summary>
    public static LinearStructuralEquation Exogenous { get; } = new(0, []);

    /// <summary>Creates X := intercept + Σ weight·parent + U.</summary>
    /// <param name="intercept">The constant term.</param>
    /// <param name="terms">The parents and their weights.</param>
    public static LinearStructuralEquation Linear(double intercept, params (string Parent, double Weight)[] terms)
    {
        Contracts.CheckValue(terms, nameof(terms));
        return new LinearStructuralEquation(intercept, terms);
    }

    /// <summary>Creates X := f(parents) + U for a user function f.</summary>
    /// <param name="parents">The parents' names; f receives their values in this order.</param>
    /// <param name="function">The function f. It must be deterministic and thread-safe.</param>
    public static FunctionStructuralEquation Function(IReadOnlyList<string> parents, StructuralFunction function)
        => new(parents, function);
}

/// <summary>A linear additive-noise equation X := b + Σₖ wₖ·X_pa(k) + U.</summary>
public sealed class LinearStructuralEquation : StructuralEquation
{
    private readonly double[] _weights;

    internal LinearStructuralEquation(double intercept, IReadOnlyList<(string Parent, double Weight)> terms)
        : base(terms.Select(t => t.Parent).ToArray())
    {
        Contracts.CheckParam(double.IsFinite(intercept), nameof(intercept), $"The intercept must be finite; got {intercept}.");
        foreach (var (parent, weight) in terms)
            Contracts.CheckParam(double.IsFinite(weight), nameof(terms), $"The weight of parent '{parent}' must be finite; got {weight}.");
        Intercept = intercept;
        _weights = terms.Select(t => t.Weight).ToArray();
    }

    /// <summary>Gets the constant term b.</summary>
    public double Intercept { get; }

    /// <summary>Gets the weights wₖ, one per parent in the order of <see cref="StructuralEquation.Parents"/>.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <inheritdoc/>
    public override bool IsLinear => true;

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> parentValues)
    {
        double value = Intercept;
        for (int k = 0; k < _weights.Length; k++) value += _weights[k] * parentValues[k];
        return value;
    }

    /// <summary>
    /// Fits X := b + Σ wₖ·X_pa(k) + U by ordinary least squares.
    /// </summary>
    /// <param name="parents">The parents' names.</param>
    /// <param name="parentValues">Row-major rows × parents values of the parents.</param>
    /// <param name="values">The variable's value in each row.</param>
    /// <param name="fitIntercept">Whether to fit b; with <see langword="false"/>, b = 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The shapes disagree, a value is not finite, or the design is rank deficient (collinear parents).</exception>
    public static LinearStructuralEquation Fit(IReadOnlyList<string> parents, ReadOnlySpan<double> parentValues, ReadOnlySpan<double> values, bool fitIntercept = true)
    {
        Contracts.CheckValue(parents, nameof(parents));
        int rows = values.Length, p = parents.Count, columns = p + (fitIntercept ? 1 : 0);
        Contracts.CheckParam(columns > 0, nameof(parents), "Nothing to fit: no parents and no intercept.");
        Contracts.CheckParam(parentValues.Length == rows * p, nameof(parentValues),
            $"Expected {rows}×{p} = {rows * p} parent values; got {parentValues.Length}.");
        Contracts.CheckParam(rows >= columns, nameof(values), $"Need at least {columns} rows to fit {columns} coefficients; got {rows}.");
        var design = Matrix<double>.Build.Dense(rows, columns);
        var target = Vector<double>.Build.Dense(rows);
        for (int r = 0; r < rows; r++)
        {
            Contracts.CheckParam(double.IsFinite(values[r]), nameof(values), $"Row {r}: the value is not finite ({values[r]}).");
            target[r] = values[r];
            for (int k = 0; k < p; k++)
            {
                double v = parentValues[r * p + k];
                Contracts.CheckParam(double.IsFinite(v), nameof(parentValues), $"Row {r}: parent '{parents[k]}' is not finite ({v}).");
                design[r, k] = v;
            }
            if (fitIntercept) design[r, p] = 1;
        }
        var svd = design.Svd(computeVectors: true);
        double largest = svd.S[0], smallest = svd.S[columns - 1];
        Contracts.CheckParam(smallest > 1e-10 * largest, nameof(parentValues),
            $"The parents ({string.Join(", ", parents)}{(fitIntercept ? " and the intercept" : "")}) are collinear; drop one of them.");
        var coefficients = svd.Solve(target);
        var terms = new (string, double)[p];
        for (int k = 0; k < p; k++) terms[k] = (parents[k], coefficients[k]);
        return new LinearStructuralEquation(fitIntercept ? coefficients[p] : 0, terms);
    }
}

/// <summary>An additive-noise equation X := f(X_pa) + U with a user function f.</summary>
public sealed class FunctionStructuralEquation : StructuralEquation
{
    private readonly StructuralFunction _function;

    internal FunctionStructuralEquation(IReadOnlyList<string> parents, StructuralFunction function) : base(parents)
    {
        Contracts.CheckValue(function, nameof(function));
        _function = function;
    }

    /// <inheritdoc/>
    public override bool IsLinear => false;

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> parentValues) => _function(parentValues);
}
