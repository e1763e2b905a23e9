using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;

using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Internal;

public class ColumnChecksTests
{
    private static IDataView Data(float[] features, int size, bool[]? labels = null)
    {
        var b = new DataViewBuilder().AddVectorColumn("Features", size, features, Enumerable.Range(0, size).Select(i => $"f{i}").ToArray());
        if (labels is not null) b.AddColumn("Label", labels);
        return b.Build();
    }

    [Fact]
    public void CheckFeatureColumn_Missing_UsesMlNetMessage()
    {
        var schema = new DataViewBuilder().AddColumn("x", new[] { 1f }).Build().Schema;
        var act = () => ColumnChecks.CheckFeatureColumn(schema, "Features", 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find feature column 'Features'*");
    }

    [Fact]
    public void CheckFeatureColumn_WrongSize_UsesMlNetMismatchMessage()
    {
        var schema = Data([1, 2], 2).Schema;
        var act = () => ColumnChecks.CheckFeatureColumn(schema, "Features", 3);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for feature column 'Features': expected Vector<Single, 3>, got Vector<Single, 2>*");
    }

    [Fact]
    public void CheckScalarColumn_WrongType_UsesMlNetMismatchMessage()
    {
        var schema = new DataViewBuilder().AddColumn("Label", new[] { 1f }).Build().Schema;
        var act = () => ColumnChecks.CheckScalarColumn(schema, "label", "Label", BooleanDataViewType.Instance);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for label column 'Label': expected Boolean, got Single*");
    }

    [Fact]
    public void CheckFeatureShape_ScalarColumn_Rejected()
    {
        var shape = new DataViewBuilder().AddColumn("Features", new[] { 1f }).Build().Schema.ToShape();
        var act = () => ColumnChecks.CheckFeatureShape(shape, "Features");
        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for feature column 'Features': expected Vector<Single>, got Single*");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void ReadFeatures_NonFinite_NamesColumnRowAndSlot(float bad)
    {
        var data = Data([1, 2, 3, 4, 5, bad], 3);
        var act = () => ColumnChecks.ReadFeatures(data, data.Schema["Features"]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Column 'Features' has a non-finite value*row 1, slot 2 ('f2')*");
    }

    [Fact]
    public void CheckTrainingLabels_EmptyOrOneClass_ThrowsInvalidOperation()
    {
        var empty = () => ColumnChecks.CheckTrainingLabels([], "Label");
        empty.Should().Throw<InvalidOperationException>().WithMessage("The training data is empty*");
        var oneClass = () => ColumnChecks.CheckTrainingLabels([true, true], "Label");
        oneClass.Should().Throw<InvalidOperationException>().WithMessage("*'Label' has only one class (all true)*");
    }

    [Fact]
    public void InMemoryDataView_ColumnsOfDifferentLengths_Rejected()
    {
        var act = () => new InMemoryDataView.Builder().AddScalar("a", [1f, 2f]).AddScalar("b", [true]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Column 'b' has 1 rows; the other columns have 2*");
    }

    [Fact]
    public void InMemoryDataView_GetGetterOfWrongType_ThrowsInvalidOperation()
    {
        var data = Data([1, 2], 2, [true]);
        using var cursor = data.GetRowCursor(data.Schema);
        var act = () => cursor.GetGetter<float>(data.Schema["Label"]);
        act.Should().Throw<InvalidOperationException>().WithMessage("Invalid TValue in GetGetter*");
    }
}

public class FeatureInfoTests
{
    [Theory]
    [InlineData(-1e-13, false, "0")]
    [InlineData(-0.0, false, "0")]
    [InlineData(13.0000000001, true, "13")]
    [InlineData(14.4, true, "14.4")]
    [InlineData(2500.04, false, "2500")]
    [InlineData(1851.26, false, "1851.3")]
    [InlineData(0.12345, false, "0.123")]
    public void Format_RoundsAndNeverPrintsNegativeZero(double value, bool isInteger, string expected)
        => new FeatureInfo("x", IsInteger: isInteger).Format(value).Should().Be(expected);
}
