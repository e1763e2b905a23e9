using Microsoft.ML.Recourse.Calibration;

namespace Microsoft.ML.Recourse.Tests.Calibration;

public class PacThresholdEdgeTests
{
    [Fact]
    public void MinimumCalibrationSize_EpsilonSoSmallThatOneMinusEpsilonIsOne_ThrowsInsteadOfSearchingForever()
        => FluentActions.Invoking(() => PacThreshold.MinimumCalibrationSize(1e-17, 0.05))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon")
            .WithMessage("ε = 1E-17 is too small: 1 − ε rounds to 1 in double precision*");

    [Fact]
    public void MinimumCalibrationSize_NeedsMoreRowsThanRepresentable_ThrowsNamingTheEstimate()
        => FluentActions.Invoking(() => PacThreshold.MinimumCalibrationSize(1e-15, 1e-300))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon")
            .WithMessage("ε = 1E-15 and δ = 1E-300 need about *E+17 calibration rows, more than can be represented.*");

    [Fact]
    public void Fit_EpsilonTooSmall_ThrowsInsteadOfHanging()
        => FluentActions.Invoking(() => PacThreshold.Fit([0.5, 0.6], 1e-17, 0.05)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon");

    [Fact]
    public void MinimumCalibrationSize_LargestRepresentable_StaysExact()
    {
        // ε = 1e-12, δ = 0.5: n = ⌈ln 0.5 / ln(1 − 1e-12)⌉ ≈ 6.93e11, well below 2⁵³.
        long n = PacThreshold.MinimumCalibrationSize(1e-12, 0.5);
        double logMiss = Math.Log(1 - 1e-12), logCut = Math.Log(0.5);
        (n * logMiss).Should().BeLessThanOrEqualTo(logCut);
        ((n - 1) * logMiss).Should().BeGreaterThan(logCut);
    }

    [Fact]
    public void Methods_UndefinedConvention_ThrowNamingIt()
    {
        var convention = (ParameterConvention)7;
        FluentActions.Invoking(() => PacThreshold.MinimumCalibrationSize(0.05, 0.05, convention)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("convention").WithMessage("Unknown parameter convention 7.*");
        FluentActions.Invoking(() => PacThreshold.AllowedMisses(100, 0.05, 0.05, convention)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("convention");
        FluentActions.Invoking(() => PacThreshold.Fit([0.5], 0.05, 0.05, convention)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("convention");
    }

    [Fact]
    public void AllowedMisses_NegativeSize_Throws()
        => FluentActions.Invoking(() => PacThreshold.AllowedMisses(-1, 0.05, 0.05)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("calibrationSize").WithMessage("Must be ≥ 0; got -1.*");

    [Fact]
    public void AllowedMisses_EmptySet_IsNull() => PacThreshold.AllowedMisses(0, 0.05, 0.05).Should().BeNull();

    [Theory]
    // F(k; 3, 0.5) = 0.125, 0.5, 0.875, 1: with cut 0.95 every k ≤ n − 1 = 2 qualifies, with cut 0.6 k ≤ 1, with 0.2 only 0.
    [InlineData(0.95, 2)]
    [InlineData(0.6, 1)]
    [InlineData(0.2, 0)]
    [InlineData(0.1, null)]
    public void AllowedMisses_SmallSet_IsTheLargestKWhoseCdfStaysBelowTheCut(double delta, int? expected)
        => PacThreshold.AllowedMisses(3, 0.5, delta).Should().Be(expected);

    [Theory]
    [InlineData(0.1251, 0)]
    [InlineData(0.1249, null)]
    [InlineData(0.8751, 2)]
    [InlineData(0.8749, 1)]
    public void AllowedMisses_CutJustAboveOrBelowTheCdf_DecidesK(double delta, int? expected)
        => PacThreshold.AllowedMisses(3, 0.5, delta).Should().Be(expected);

    [Fact]
    public void Fit_SingleScoreWhereOneRowSuffices_TakesThatScore()
    {
        // Reference convention, ε = δ = 0.05: the cut is 0.95 and F(0; 1, 0.05) = 0.95, so one row certifies with k = 0.
        var result = PacThreshold.Fit([0.3], 0.05, 0.05, ParameterConvention.ReferenceCode);

        result.Threshold.Should().Be(0.3);
        result.AllowedMisses.Should().Be(0);
        result.CalibrationMisses.Should().Be(0);
        result.Convention.Should().Be(ParameterConvention.ReferenceCode);
        result.BinomialCut.Should().BeApproximately(0.95, 1e-15);
    }

    [Fact]
    public void Fit_NullScores_ThrowsArgumentNull()
        => FluentActions.Invoking(() => PacThreshold.Fit(null!, 0.05, 0.05)).Should().Throw<ArgumentNullException>().WithParameterName("scores");

    [Fact]
    public void Fit_ScoresAreNotReordered()
    {
        double[] scores = [0.9, 0.1, 0.5];
        PacThreshold.Fit(scores, 0.5, 0.95);

        scores.Should().Equal(0.9, 0.1, 0.5);
    }

    [Theory]
    [InlineData(100, 100, 0.05)]
    [InlineData(150, 100, 0.05)]
    public void LogBinomialCdf_KAtOrBeyondN_IsZero(int k, int n, double p)
        => PacThreshold.LogBinomialCdf(k, n, p).Should().BeApproximately(0, 1e-12);

    [Fact]
    public void LogBinomialCdf_KZero_IsNTimesLogOfTheMissProbability()
        => PacThreshold.LogBinomialCdf(0, 40, 0.1).Should().BeApproximately(40 * Math.Log(0.9), 1e-12);

    [Fact]
    public void CalibrationSetTooSmall_IsAnInvalidOperationWithTheConventionInItsMessage()
    {
        var error = FluentActions.Invoking(() => PacThreshold.Fit(new double[10], 0.05, 0.05, ParameterConvention.Standard))
            .Should().Throw<CalibrationSetTooSmallException>().Which;

        error.Should().BeAssignableTo<InvalidOperationException>();
        error.Message.Should().Be("A PAC certificate with ε = 0.05 and δ = 0.05 (Standard convention) needs at least 59 calibration rows; got 10. With fewer rows, even zero misses do not rule out a miss rate above ε.");
    }
}
