using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Tests.Optimization;

public class LinearProgramTests
{
    private static readonly LinearConstraint s_row = new([0, 1], [1, 1], 0, 1);

    [Fact]
    public void Constructor_MismatchedBoundLengths_NamesTheParameter()
    {
        var act = () => new LinearProgram([1, 2], [0], [1, 1]);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("columnLower");
        var upper = () => new LinearProgram([1, 2], [0, 0], [1]);
        upper.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("columnUpper");
    }

    [Fact]
    public void Constructor_NoVariables_Throws()
    {
        var act = () => new LinearProgram([], [], []);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least one variable*");
    }

    [Fact]
    public void Constructor_NonFiniteObjective_NamesTheCoefficient()
    {
        var nan = () => new LinearProgram([1, double.NaN], [0, 0], [1, 1]);
        nan.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*coefficient 1 is not finite*");
        var infinite = () => new LinearProgram([double.PositiveInfinity], [0], [1]);
        infinite.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*coefficient 0*");
    }

    [Fact]
    public void Constructor_NaNBound_NamesTheVariable()
    {
        var act = () => new LinearProgram([1, 2], [0, double.NaN], [1, 1]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*variable 1 is NaN*");
    }

    [Fact]
    public void Constructor_RowWithMismatchedLengths_NamesTheRow()
    {
        var act = () => new LinearProgram([1, 2], [0, 0], [1, 1], [s_row, new LinearConstraint([0, 1], [1], 0, 1)]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Row 1 has 2 indices but 1 coefficients*");
    }

    [Fact]
    public void Constructor_RowIndexOutOfRange_NamesTheRowAndVariable()
    {
        var act = () => new LinearProgram([1, 2], [0, 0], [1, 1], [new LinearConstraint([0, 2], [1, 1], 0, 1)]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Row 0 refers to variable 2, outside 0..1*");
    }

    [Fact]
    public void Constructor_NaNRowCoefficientOrBound_NamesTheRow()
    {
        var coefficient = () => new LinearProgram([1, 2], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, double.NaN], 0, 1)]);
        coefficient.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Row 0 has a non-finite coefficient (NaN) for variable 1*");
        var bound = () => new LinearProgram([1, 2], [0, 0], [1, 1], [s_row, new LinearConstraint([0], [1], double.NaN, 1)]);
        bound.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Row 1 has a NaN bound*");
    }

    [Fact]
    public void Constructor_NullRow_Throws()
    {
        var act = () => new LinearProgram([1], [0], [1], [null!]);
        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("constraints");
    }

    [Fact]
    public void Constructor_WrongNumberOfIntegralityFlags_Throws()
    {
        var act = () => new LinearProgram([1, 2], [0, 0], [1, 1], isInteger: [true]);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("isInteger");
    }

    [Fact]
    public void IsSeparable_DependsOnRowsAndIntegrality()
    {
        new LinearProgram([1, 2], [0, 0], [1, 1]).IsSeparable.Should().BeTrue();
        new LinearProgram([1, 2], [0, 0], [1, 1], [s_row]).IsSeparable.Should().BeFalse();
        new LinearProgram([1, 2], [0, 0], [1, 1], isInteger: [false, true]).IsSeparable.Should().BeFalse();
    }
}
