using FluentAssertions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.Models;

// The CDF kinds of the input map use ML.NET's own approximation of Φ, so composed features equal the model's.
public class MlNetCdfTests
{
    [Fact]
    public void Cdf_EqualsMlNetsNormaliserOutput()
    {
        var ml = new MLContext(seed: 1);
        var values = Enumerable.Range(1, 200).Select(i => new Row { X = (float)Math.Exp(i / 40.0) }).ToList();
        var data = ml.Data.LoadFromEnumerable(values);
        var normaliser = ml.Transforms.NormalizeLogMeanVariance("Y", "X", useCdf: true).Fit(data);
        var y = normaliser.Transform(data).GetColumn<float>("Y").ToArray();
        var p = (Microsoft.ML.Transforms.NormalizingTransformer.CdfNormalizerModelParameters<float>)normaliser.GetNormalizerModelParameters(0);
        var f = new InputFunction(0, InputFunctionKind.LogNormalCdf, p.StandardDeviation, p.Mean);
        for (int i = 0; i < values.Count; i++) f.Apply(values[i].X).Should().BeApproximately(y[i], 2e-6);
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.4)]
    [InlineData(0.0)]
    [InlineData(1e-6)]
    [InlineData(0.7)]
    [InlineData(2.5)]
    public void Derivative_MatchesDifferenceQuotient(double z)
    {
        const double h = 1e-6;
        double quotient = (InputFunction.MlNetCdf(z + h) - InputFunction.MlNetCdf(z - h)) / (2 * h);
        InputFunction.MlNetCdfDerivative(z).Should().BeApproximately(quotient, 1e-5);
    }

    private sealed class Row
    {
        public float X { get; set; }
    }
}
