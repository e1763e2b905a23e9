using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;
using Microsoft.ML.Recourse.Calibration;

namespace Microsoft.ML.Recourse.Tests.Calibration;

public class PacThresholdTests
{
    // The checked table of algorithms-and-peers.md §4b (scipy, Clopper–Pearson form).
    [Theory]
    [InlineData(58, 0.05, 0.05, null)]
    [InlineData(59, 0.05, 0.05, 0)]
    [InlineData(100, 0.05, 0.05, 1)]
    [InlineData(500, 0.05, 0.05, 16)]
    [InlineData(1000, 0.05, 0.05, 38)]
    [InlineData(1000, 0.05, 0.01, 34)]
    [InlineData(1000, 0.10, 0.05, 84)]
    [InlineData(5000, 0.01, 1e-5, 22)]
    [InlineData(20000, 0.01, 1e-5, 142)]
    public void AllowedMisses_CheckedTable_MatchesScipy(int n, double epsilon, double delta, int? expected)
        => PacThreshold.AllowedMisses(n, epsilon, delta).Should().Be(expected);

    [Theory]
    [InlineData(0.05, 0.05, 59)]
    [InlineData(0.01, 0.05, 299)]
    [InlineData(0.10, 0.01, 44)]
    [InlineData(0.01, 1e-5, 1146)]
    public void MinimumCalibrationSize_KnownValues_IsTheSmallestCertifiableSize(double epsilon, double delta, long expected)
    {
        PacThreshold.MinimumCalibrationSize(epsilon, delta).Should().Be(expected);
        PacThreshold.AllowedMisses((int)expected, epsilon, delta).Should().Be(0);
        PacThreshold.AllowedMisses((int)expected - 1, epsilon, delta).Should().BeNull();
    }

    [Fact]
    public void MinimumCalibrationSize_RandomParameters_IsWhereCertificatesStart()
    {
        var parameters = from e in Gen.Choose(1, 400).Select(i => i / 1000.0)
                         from d in Gen.Choose(1, 500).Select(i => i / 1000.0)
                         select (Epsilon: e, Delta: d);
        var property = Prop.ForAll(parameters.ToArbitrary(), p =>
        {
            long minimum = PacThreshold.MinimumCalibrationSize(p.Epsilon, p.Delta);
            bool ok = PacThreshold.AllowedMisses((int)minimum, p.Epsilon, p.Delta) == 0
                      && (minimum == 1 || PacThreshold.AllowedMisses((int)minimum - 1, p.Epsilon, p.Delta) is null)
                      && minimum == (long)Math.Ceiling(Math.Log(p.Delta) / Math.Log(1 - p.Epsilon) - 1e-9);
            return ok.Label($"ε = {p.Epsilon}, δ = {p.Delta}: minimum {minimum}");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(new Replay(new Rnd(20200427UL), null)), property);
    }

    [Fact]
    public void AllowedMisses_IsMonotoneInSizeEpsilonAndDelta()
    {
        var parameters = from n in Gen.Choose(1, 3000)
                         from e in Gen.Choose(1, 300).Select(i => i / 1000.0)
                         from d in Gen.Choose(1, 300).Select(i => i / 1000.0)
                         from step in Gen.Choose(1, 50)
                         select (N: n, Epsilon: e, Delta: d, Step: step);
        static int K(int n, double e, double d) => PacThreshold.AllowedMisses(n, e, d) ?? -1;
        var property = Prop.ForAll(parameters.ToArbitrary(), p =>
        {
            int k = K(p.N, p.Epsilon, p.Delta);
            bool inSize = K(p.N + p.Step, p.Epsilon, p.Delta) >= k;
            bool inEpsilon = K(p.N, p.Epsilon + p.Step / 1000.0, p.Delta) >= k;
            bool inDelta = K(p.N, p.Epsilon, p.Delta + p.Step / 1000.0) >= k;
            return (inSize && inEpsilon && inDelta).Label($"n = {p.N}, ε = {p.Epsilon}, δ = {p.Delta}, step {p.Step}: size {inSize}, ε {inEpsilon}, δ {inDelta}");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(new Replay(new Rnd(20200428UL), null)), property);
    }

    [Theory]
    [InlineData(100, 0.05)]
    [InlineData(1000, 0.05)]
    [InlineData(20000, 0.01)]
    [InlineData(3, 0.5)]
    public void AllowedMisses_AgreesWithTheExactBinomialCdf(int n, double epsilon)
    {
        foreach (double delta in new[] { 1e-6, 0.01, 0.05, 0.5, 0.95 })
        {
            int? k = PacThreshold.AllowedMisses(n, epsilon, delta);
            if (k is int allowed)
            {
                Binomial.CDF(epsilon, n, allowed).Should().BeLessThanOrEqualTo(delta * (1 + 1e-9), $"F(k*) ≤ δ for δ = {delta}");
                if (allowed < n - 1) Binomial.CDF(epsilon, n, allowed + 1).Should().BeGreaterThan(delta * (1 - 1e-9), $"F(k* + 1) > δ for δ = {delta}");
            }
            else
            {
                Binomial.CDF(epsilon, n, 0).Should().BeGreaterThan(delta);
            }
        }
    }

    [Fact]
    public void LogBinomialCdf_MatchesMathNet()
    {
        foreach (var (k, n, p) in new[] { (0, 100, 0.05), (8, 100, 0.05), (38, 1000, 0.05), (142, 20000, 0.01), (50, 60, 0.9) })
            Math.Exp(PacThreshold.LogBinomialCdf(k, n, p)).Should().BeApproximately(Binomial.CDF(p, n, k), 1e-12 + 1e-9 * Binomial.CDF(p, n, k));
    }

    [Fact]
    public void AllowedMisses_ReferenceConvention_ReproducesTheReferenceExample()
    {
        // ross2021-reference.md §5: n = 100, CDF cut 0.95 → k = 8; cut 0.05 → k = 1.
        PacThreshold.AllowedMisses(100, 0.05, 0.05, ParameterConvention.ReferenceCode).Should().Be(8);
        PacThreshold.AllowedMisses(100, 0.05, 0.05, ParameterConvention.Standard).Should().Be(1);
        PacThreshold.MinimumCalibrationSize(0.05, 0.05, ParameterConvention.ReferenceCode).Should().Be(1);
    }

    [Fact]
    public void Fit_ReturnsTheKPlusFirstSmallestScoreAndTheCertificate()
    {
        var scores = Enumerable.Range(0, 100).Select(i => (99 - i) / 100.0).ToArray(); // 0.99 … 0.00, unsorted order
        var result = PacThreshold.Fit(scores, 0.05, 0.05);
        result.AllowedMisses.Should().Be(1);
        result.Threshold.Should().Be(0.01);
        result.CalibrationSize.Should().Be(100);
        result.CalibrationMisses.Should().Be(1);
        result.Epsilon.Should().Be(0.05);
        result.Delta.Should().Be(0.05);
        result.BinomialCut.Should().Be(0.05);
        result.GuaranteeConfidence.Should().BeApproximately(0.95, 1e-12);

        var reference = PacThreshold.Fit(scores, 0.05, 0.05, ParameterConvention.ReferenceCode);
        reference.AllowedMisses.Should().Be(8);
        reference.Threshold.Should().Be(0.08);
        reference.GuaranteeConfidence.Should().BeApproximately(0.05, 1e-12);
    }

    [Fact]
    public void Fit_TiesAtTheThreshold_CountOnlyStrictMisses()
    {
        var scores = new double[100];
        Array.Fill(scores, 0.7);
        scores[0] = 0.1;
        var result = PacThreshold.Fit(scores, 0.05, 0.05);
        result.Threshold.Should().Be(0.7);
        result.CalibrationMisses.Should().Be(1);

        Array.Fill(scores, 0.7);
        PacThreshold.Fit(scores, 0.05, 0.05).CalibrationMisses.Should().Be(0);
    }

    [Fact]
    public void Fit_TooFewScores_NamesTheMinimum()
    {
        var act = () => PacThreshold.Fit(new double[58], 0.05, 0.05);
        var error = act.Should().Throw<CalibrationSetTooSmallException>().Which;
        error.MinimumCalibrationSize.Should().Be(59);
        error.CalibrationSize.Should().Be(58);
        error.Message.Should().Contain("at least 59 calibration rows").And.Contain("got 58");
    }

    [Theory]
    [InlineData(0.0, 0.05, "epsilon")]
    [InlineData(1.0, 0.05, "epsilon")]
    [InlineData(double.NaN, 0.05, "epsilon")]
    [InlineData(0.05, 0.0, "delta")]
    [InlineData(0.05, 1.0, "delta")]
    [InlineData(0.05, -0.1, "delta")]
    public void Methods_ParametersOutsideTheOpenUnitInterval_Throw(double epsilon, double delta, string parameter)
    {
        FluentActions.Invoking(() => PacThreshold.AllowedMisses(100, epsilon, delta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
        FluentActions.Invoking(() => PacThreshold.MinimumCalibrationSize(epsilon, delta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
        FluentActions.Invoking(() => PacThreshold.Fit(new double[100], epsilon, delta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    [Fact]
    public void Fit_EmptyOrNonFiniteScores_Throw()
    {
        FluentActions.Invoking(() => PacThreshold.Fit([], 0.05, 0.05)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*empty*");
        var scores = new double[100];
        scores[42] = double.NaN;
        FluentActions.Invoking(() => PacThreshold.Fit(scores, 0.05, 0.05)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*score 42*");
        FluentActions.Invoking(() => PacThreshold.AllowedMisses(-1, 0.05, 0.05)).Should().Throw<ArgumentOutOfRangeException>();
    }

    // Scores ~ U(0, 1): the true miss rate of a threshold τ is P[s < τ] = τ, so the rule fails on a draw iff τ > ε.
    // It must fail with probability F(k*; n, ε) ≤ δ — the exact value, which also pins the index k* + 1.
    [Theory]
    [InlineData(100, 0.05, 0.05, ParameterConvention.Standard)]
    [InlineData(300, 0.10, 0.20, ParameterConvention.Standard)]
    [InlineData(100, 0.05, 0.05, ParameterConvention.ReferenceCode)]
    public void Fit_UniformScores_FailsAtMostWithProbabilityDelta(int n, double epsilon, double delta, ParameterConvention convention)
    {
        const int draws = 4000;
        var random = new Random(7);
        int failures = 0;
        var scores = new double[n];
        for (int t = 0; t < draws; t++)
        {
            for (int i = 0; i < n; i++) scores[i] = random.NextDouble();
            if (PacThreshold.Fit(scores, epsilon, delta, convention).Threshold > epsilon) failures++;
        }
        int k = PacThreshold.AllowedMisses(n, epsilon, delta, convention)!.Value;
        double exact = Binomial.CDF(epsilon, n, k);
        double frequency = (double)failures / draws;
        double standardError = Math.Sqrt(exact * (1 - exact) / draws);
        frequency.Should().BeApproximately(exact, 4 * standardError + 1e-3, "the failure probability of the rule is F(k*; n, ε)");
        double cut = convention == ParameterConvention.Standard ? delta : 1 - delta;
        frequency.Should().BeLessThanOrEqualTo(cut + 4 * Math.Sqrt(cut * (1 - cut) / draws));
        if (convention == ParameterConvention.ReferenceCode)
            frequency.Should().BeGreaterThan(0.5, "the reference code's cut at 1 − δ leaves the bound ε holding only rarely");
    }
}
