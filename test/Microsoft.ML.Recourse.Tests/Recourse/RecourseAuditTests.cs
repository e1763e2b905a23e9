using Microsoft.ML;
using Microsoft.ML.Data;

using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class RecourseAuditTests
{
    // Row 0 accepted; rows 1, 2, 4 have recourse at costs 1, 4, 2; row 3 is certified infeasible; row 5 found nothing.
    private static IDataView HandBuilt() => new DataViewBuilder()
        .AddColumn("HasRecourse", [true, true, true, false, true, false])
        .AddColumn("RecourseCost", [0f, 1f, 4f, float.NaN, 2f, float.NaN])
        .AddColumn("RecourseStatus", ["Accepted", "Found", "Found", "Infeasible", "Found", "NotFound"])
        .AddColumn("band", [2, 2, 2, 10, 10, 10])
        .AddColumn("isMale", [true, false, true, false, true, false])
        .AddColumn("FloatGroup", [1f, 1f, 1f, 1f, 1f, 1f])
        .Build();

    [Fact]
    public void Audit_Overall_MatchesHandCountedFigures()
    {
        var overall = new MLContext(1).Recourse().Audit(HandBuilt()).Overall;

        overall.Should().BeEquivalentTo(new { Group = (string?)null, Rows = 6, Negatives = 5, NegativesWithRecourse = 3, Infeasible = 1 });
        overall.RecourseNegativeRate.Should().BeApproximately(3 / 5.0, 1e-12);
        overall.RecourseAllRate.Should().BeApproximately(4 / 6.0, 1e-12);
        overall.MeanCost.Should().BeApproximately(7 / 3.0, 1e-12);
        overall.MedianCost.Should().Be(2);
        overall.InfeasibleShare.Should().BeApproximately(0.2, 1e-12);
    }

    [Fact]
    public void Audit_ByIntGroup_OrdersNumericallyAndSplitsTheFigures()
    {
        var result = new MLContext(1).Recourse().Audit(HandBuilt(), "band");

        result.GroupColumnName.Should().Be("band");
        result.Groups.Select(g => g.Group).Should().Equal("2", "10");
        var (low, high) = (result.Groups[0], result.Groups[1]);
        low.Should().BeEquivalentTo(new { Rows = 3, Negatives = 2, NegativesWithRecourse = 2, Infeasible = 0 });
        low.RecourseNegativeRate.Should().Be(1);
        low.RecourseAllRate.Should().Be(1);
        low.MeanCost.Should().Be(2.5);
        low.MedianCost.Should().Be(2.5);
        high.Should().BeEquivalentTo(new { Rows = 3, Negatives = 3, NegativesWithRecourse = 1, Infeasible = 1 });
        high.RecourseNegativeRate.Should().BeApproximately(1 / 3.0, 1e-12);
        high.RecourseAllRate.Should().BeApproximately(1 / 3.0, 1e-12);
        high.MeanCost.Should().Be(2);
        high.InfeasibleShare.Should().BeApproximately(1 / 3.0, 1e-12);
        result.Overall.Rows.Should().Be(6);
    }

    [Fact]
    public void Audit_ByBoolGroup_GroupWithoutNegativesHasUndefinedRates()
    {
        var data = new DataViewBuilder()
            .AddColumn("HasRecourse", [true, true, false])
            .AddColumn("RecourseCost", [0f, 0f, float.NaN])
            .AddColumn("RecourseStatus", ["Accepted", "Accepted", "NotFound"])
            .AddColumn("isMale", [true, true, false])
            .Build();

        var groups = new MLContext(1).Recourse().Audit(data, "isMale").Groups;

        groups.Select(g => g.Group).Should().Equal("False", "True");
        groups[0].RecourseNegativeRate.Should().Be(0);
        groups[0].RecourseAllRate.Should().Be(0);
        double.IsNaN(groups[0].MeanCost).Should().BeTrue();
        double.IsNaN(groups[1].RecourseNegativeRate).Should().BeTrue("a group without rejected rows has no recourse-neg");
        groups[1].RecourseAllRate.Should().Be(1);
    }

    [Fact]
    public void Audit_OfTransformerOutput_UsesTextGroups()
    {
        var transformer = new MLContext(1).Recourse()
            .GenerateRecourse(RecourseTransformerTests.Linear, RecourseTransformerTests.Actions, new TestFramework.FixedStepGenerator([0.75, 0, 0], 1))
            .Fit(RecourseTransformerTests.Rows());
        var result = new MLContext(1).Recourse().Audit(transformer.Transform(RecourseTransformerTests.Rows()), "grp");

        result.Overall.Should().BeEquivalentTo(new { Rows = 4, Negatives = 3, NegativesWithRecourse = 1, Infeasible = 1 });
        result.Groups.Select(g => (g.Group, g.Negatives, g.NegativesWithRecourse)).Should().Equal(("A", 1, 1), ("B", 2, 0));
    }

    [Fact]
    public void Audit_BadColumns_AreRejectedWithSchemaMessages()
    {
        var recourse = new MLContext(1).Recourse();
        var noStatus = new DataViewBuilder().AddColumn("HasRecourse", [true]).AddColumn("RecourseCost", [0f]).Build();

        FluentActions.Invoking(() => recourse.Audit(noStatus)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Could not find recourse column 'RecourseStatus'*");
        FluentActions.Invoking(() => recourse.Audit(HandBuilt(), "race")).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Could not find group column 'race'*");
        FluentActions.Invoking(() => recourse.Audit(HandBuilt(), "FloatGroup")).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for group column 'FloatGroup': expected String, Boolean or Int32, got Single*");
    }

    [Fact]
    public void Audit_RecourseRowWithNaNCost_IsAStateError()
    {
        var data = new DataViewBuilder()
            .AddColumn("HasRecourse", [true, true])
            .AddColumn("RecourseCost", [0f, float.NaN])
            .AddColumn("RecourseStatus", ["Accepted", "Found"])
            .Build();

        FluentActions.Invoking(() => new MLContext(1).Recourse().Audit(data)).Should().Throw<InvalidOperationException>().WithMessage("Row 1 has recourse*");
    }
}
