using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Tests.Actions;

// The action set bound to raw columns: what each numeric and categorical column allows, what a change costs, and the
// binding to a model's input schema with statistics of the training data.
public class ColumnActionSpaceTests
{
    private static NumericColumnSpace Numeric(ColumnDirection direction = ColumnDirection.Any, bool mutable = true, double lower = 0, double upper = 10,
        bool isInteger = false, double spread = 2, double maximumChange = 3, DataViewType? type = null, double[]? sorted = null, double costWeight = 1.5)
        => new("n", 0, type ?? NumberDataViewType.Double, mutable, costWeight, direction, lower, upper, isInteger, spread, maximumChange, sorted ?? [1, 2, 2, 3]);

    [Fact]
    public void Range_MutableColumn_IsTheBoundsWithinTheLargestChange()
    {
        var column = Numeric();
        column.Range(5).Should().Be((2.0, 8.0));
        column.Range(1).Should().Be((0.0, 4.0));
        column.Range(9).Should().Be((6.0, 10.0));
        Numeric(maximumChange: double.PositiveInfinity).Range(5).Should().Be((0.0, 10.0));
    }

    [Fact]
    public void Range_Direction_KeepsTheOtherSideAtTheValue()
    {
        Numeric(ColumnDirection.Increase).Range(5).Should().Be((5.0, 8.0));
        Numeric(ColumnDirection.Decrease).Range(5).Should().Be((2.0, 5.0));
    }

    [Fact]
    public void Range_ValueOutsideTheBounds_StaysAllowed()
    {
        Numeric().Range(12).Should().Be((9.0, 12.0));
        Numeric().Range(-2).Should().Be((-2.0, 1.0));
    }

    [Fact]
    public void Range_ImmutableOrMissing_IsTheValueAlone()
    {
        Numeric(mutable: false).Range(5).Should().Be((5.0, 5.0));
        var (low, high) = Numeric().Range(double.NaN);
        double.IsNaN(low).Should().BeTrue();
        double.IsNaN(high).Should().BeTrue();
    }

    [Theory]
    [InlineData(2.4, 0.0, 10.0, 2.0)]
    [InlineData(2.6, 0.0, 10.0, 3.0)]
    [InlineData(0.2, 0.3, 5.0, 1.0)]
    [InlineData(4.8, 0.0, 4.6, 4.0)]
    [InlineData(-3.0, -2.5, 5.0, -2.0)]
    [InlineData(2.6, 2.5, 2.7, double.NaN)]
    public void Representable_Integer_IsTheNearestWholeNumberInside(double value, double low, double high, double expected)
        => Numeric(isInteger: true).Representable(value, low, high).Should().Be(expected);

    [Fact]
    public void Representable_Continuous_ClampsOnly()
    {
        Numeric().Representable(2.345, 0, 10).Should().Be(2.345);
        Numeric().Representable(-1, 0, 10).Should().Be(0);
        Numeric().Representable(11, 0, 10).Should().Be(10);
    }

    [Fact]
    public void Representable_Single_StaysInsideAfterRoundingToFloat()
    {
        var single = Numeric(type: NumberDataViewType.Single);
        // (float)0.7 lies below 0.7 and (float)0.1 above 0.1: the next float inward is taken.
        double up = single.Representable(0.7, 0.7, 1);
        up.Should().BeGreaterThanOrEqualTo(0.7).And.Be((float)up).And.Be(MathF.BitIncrement(0.7f));
        double down = single.Representable(0.1, 0, 0.1);
        down.Should().BeLessThanOrEqualTo(0.1).And.Be(MathF.BitDecrement(0.1f));
        single.Representable(0.5, 0, 1).Should().Be(0.5);
        double.IsNaN(single.Representable(0.700000015, 0.70000001, 0.70000002)).Should().BeTrue("no float lies in that interval");
        Numeric(type: NumberDataViewType.Single, isInteger: true).Representable(2.4, 0, 10).Should().Be(2);
    }

    [Fact]
    public void ToRaw_IsTheColumnsType()
    {
        Numeric(type: NumberDataViewType.Single).ToRaw(1.25).Should().Be(1.25f);
        Numeric(type: NumberDataViewType.Int32).ToRaw(2.6).Should().Be(3);
    }

    [Fact]
    public void Allows_EachRule_NamesTheBrokenOne()
    {
        var column = Numeric(isInteger: true, maximumChange: 3);
        column.Allows(5.0, 5.0, out string reason).Should().BeTrue();
        reason.Should().BeEmpty();
        column.Allows(5.0, 8.0, out reason).Should().BeTrue();
        reason.Should().BeEmpty();
        column.Allows(5.0, 2.0, out _).Should().BeTrue();
        column.Allows(5.0, 9.0, out reason).Should().BeFalse();
        reason.Should().Be("9 is outside the allowed range [2, 8] from 5");
        column.Allows(5.0, 1.0, out reason).Should().BeFalse();
        reason.Should().Be("1 is outside the allowed range [2, 8] from 5");
        column.Allows(5.0, 6.5, out reason).Should().BeFalse();
        reason.Should().Be("6.5 is not a whole number");
        column.Allows(5.0, double.PositiveInfinity, out reason).Should().BeFalse();
        reason.Should().Be("the new value is not finite");
        column.Allows(double.NaN, 5.0, out reason).Should().BeFalse();
        reason.Should().Be("the person's value is missing, and a missing value stays missing");
        column.Allows(double.NaN, double.NaN, out _).Should().BeTrue("a missing value may stay missing");
        Numeric(mutable: false).Allows(5.0, 6.0, out reason).Should().BeFalse();
        reason.Should().Be("the column is immutable");
        Numeric().Allows(5.0, 6.5, out _).Should().BeTrue("a continuous column takes any value in its range");
    }

    [Fact]
    public void Allows_RangeEnds_HaveARelativeTolerance()
    {
        var column = Numeric();
        column.Allows(5.0, 8 + 5e-9, out _).Should().BeTrue();
        column.Allows(5.0, 8 + 2e-8, out _).Should().BeFalse();
        column.Allows(5.0, 2 - 2e-9, out _).Should().BeTrue();
        column.Allows(5.0, 2 - 4e-9, out _).Should().BeFalse();
    }

    [Fact]
    public void Cost_EachFunction_OfANumericChange()
    {
        var column = Numeric(spread: 2, costWeight: 1.5);
        column.Cost(1.0, 1.0, ColumnCostFunction.ScaledL1).Should().Be(0);
        column.Cost(1.0, 1.0, ColumnCostFunction.ChangedColumns).Should().Be(0);
        column.Cost(1.0, 4.0, ColumnCostFunction.ScaledL1).Should().Be(1.5 * 3 / 2);
        column.Cost(4.0, 1.0, ColumnCostFunction.ScaledL1).Should().Be(1.5 * 3 / 2);
        column.Cost(1.0, 4.0, ColumnCostFunction.ChangedColumns).Should().Be(1.5);
        // Q(1) = 1/4, Q(3) = 1 over the training values 1, 2, 2, 3.
        column.Cost(1.0, 3.0, ColumnCostFunction.PercentileShift).Should().Be(1.5 * 0.75);
        column.Cost(3.0, 1.0, ColumnCostFunction.PercentileShift).Should().Be(1.5 * 0.75);
        column.Same(1.0, 1f).Should().BeTrue();
        column.Same(1.0, 2.0).Should().BeFalse();
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(1.0, 0.25)]
    [InlineData(1.999, 0.25)]
    [InlineData(1.9999999999, 0.75)]
    [InlineData(2.0, 0.75)]
    [InlineData(2.5, 0.75)]
    [InlineData(3.0, 1.0)]
    [InlineData(7.0, 1.0)]
    public void Quantile_IsTheShareOfTrainingValuesAtMost(double value, double expected)
        => Numeric().Quantile(value).Should().Be(expected);

    [Fact]
    public void Quantile_WithoutTrainingValues_IsZero()
    {
        Numeric(sorted: []).Quantile(3).Should().Be(0);
        Numeric(sorted: [5]).Quantile(5).Should().Be(1);
        Numeric(sorted: [5]).Quantile(4).Should().Be(0);
        Numeric().SortedTraining.Should().Equal(1, 2, 2, 3);
    }

    private static CategoricalColumnSpace Categorical(ColumnDirection direction = ColumnDirection.Increase, bool mutable = true, bool isOrdered = true,
        string[]? enterable = null, DataViewType? type = null, string[]? categories = null)
        => new("c", 1, type ?? TextDataViewType.Instance, mutable, 2.5, categories ?? ["low", "mid", "high", "other"], enterable ?? ["low", "mid", "high"],
            isOrdered, direction, [0.25, 0.25, 0.25, 0.25]);

    [Fact]
    public void Targets_FollowTheOrderTheDirectionAndTheEnterableValues()
    {
        Categorical().Targets("mid").Should().Equal("high");
        Categorical(ColumnDirection.Decrease).Targets("mid").Should().Equal("low");
        Categorical(ColumnDirection.Any).Targets("mid").Should().Equal("low", "high");
        Categorical(isOrdered: false).Targets("mid").Should().Equal("low", "high"); // the order binds only when it is declared
        Categorical().Targets("other").Should().Equal("low", "mid", "high");
        Categorical(mutable: false).Targets("mid").Should().BeEmpty();
    }

    [Fact]
    public void Allows_Categorical_NamesTheBrokenRule()
    {
        var column = Categorical();
        column.Allows("mid", "mid", out string reason).Should().BeTrue();
        reason.Should().BeEmpty();
        column.Allows("mid", "high", out reason).Should().BeTrue();
        reason.Should().BeEmpty();
        column.Allows("mid", "low", out reason).Should().BeFalse();
        reason.Should().Be("'low' comes before 'mid' and the column may only increase");
        Categorical(ColumnDirection.Decrease).Allows("mid", "high", out reason).Should().BeFalse();
        reason.Should().Be("'high' comes after 'mid' and the column may only decrease");
        Categorical(ColumnDirection.Decrease).Allows("mid", "low", out _).Should().BeTrue();
        column.Allows("mid", "other", out reason).Should().BeFalse();
        reason.Should().Be("'other' is not among the values the column may change to");
        column.Allows("high", "other", out _).Should().BeFalse();
        Categorical(mutable: false).Allows("mid", "high", out reason).Should().BeFalse();
        reason.Should().Be("the column is immutable");
        column.IsEnterable("high").Should().BeTrue();
        column.IsEnterable("other").Should().BeFalse();
    }

    [Fact]
    public void Categorical_RawValuesCostAndProperties()
    {
        var column = Categorical();
        column.Cost("mid", "mid", ColumnCostFunction.ScaledL1).Should().Be(0);
        column.Cost("mid", "high", ColumnCostFunction.PercentileShift).Should().Be(2.5);
        column.Same("mid", "mid").Should().BeTrue();
        column.Same("mid", "low").Should().BeFalse();
        column.ToRaw("mid").Should().Be("mid");
        Categorical(type: BooleanDataViewType.Instance, categories: ["False", "True"], enterable: ["False", "True"]).ToRaw("True").Should().Be(true);
        CategoricalColumnSpace.TextOf(true).Should().Be("True");
        CategoricalColumnSpace.TextOf(false).Should().Be("False");
        CategoricalColumnSpace.TextOf("x").Should().Be("x");
        column.Same(true, "True").Should().BeTrue();
        column.Name.Should().Be("c");
        column.Index.Should().Be(1);
        column.CostWeight.Should().Be(2.5);
        column.Frequencies.Should().Equal(0.25, 0.25, 0.25, 0.25);
        column.IsOrdered.Should().BeTrue();
        column.Direction.Should().Be(ColumnDirection.Increase);
    }

    // Bind over a schema with every kind of column: numbers, text, Boolean, a vector and the label.
    public sealed class Person
    {
        public float Income { get; set; }
        public int Years { get; set; }
        public double Rate { get; set; }
        public string Job { get; set; } = "";
        public bool Owner { get; set; }

        [VectorType(2)]
        public float[] Vector { get; set; } = [0, 0];

        public bool Label { get; set; }
    }

    private static readonly Person[] People =
    [
        new() { Income = 10, Years = 1, Rate = 0.5, Job = "nurse", Owner = true, Label = true },
        new() { Income = 20, Years = 2, Rate = 1.5, Job = "clerk", Owner = false },
        new() { Income = 40, Years = 6, Rate = float.NaN, Job = "nurse", Owner = false },
        new() { Income = 30, Years = 3, Rate = 2.5, Job = "driver", Owner = true },
    ];

    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Training(IEnumerable<Person>? people = null) => Ml.Data.LoadFromEnumerable(people ?? People);

    private static ColumnActionSpace Bind(ColumnActionSet actions, ColumnCostFunction costFunction = ColumnCostFunction.ScaledL1,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? known = null, IDataView? training = null)
        => ColumnActionSpace.Bind(actions, Training().Schema, training ?? Training(), costFunction, known, contextColumns: ["Label"]);

    [Fact]
    public void Bind_NumericColumns_TakeTheTrainingStatistics()
    {
        var space = Bind(new ColumnActionSet(maximumChange: 2));
        space.Columns.Select(c => c.Name).Should().Equal("Income", "Years", "Rate", "Job", "Owner");
        space.Columns.Select(c => c.Index).Should().Equal(0, 1, 2, 3, 4);
        space.CostFunction.Should().Be(ColumnCostFunction.ScaledL1);
        space.RawColumns.Select(c => c.Name).Should().Equal("Income", "Years", "Rate", "Job", "Owner", "Vector", "Label");
        var income = (NumericColumnSpace)space.Find("Income")!;
        income.Lower.Should().Be(10);
        income.Upper.Should().Be(40);
        income.Spread.Should().BeApproximately(Math.Sqrt(500.0 / 3), 1e-12);
        income.MaximumChange.Should().BeApproximately(2 * Math.Sqrt(500.0 / 3), 1e-12);
        income.IsInteger.Should().BeTrue("every training value is whole");
        income.Direction.Should().Be(ColumnDirection.Any);
        income.Mutable.Should().BeTrue();
        income.CostWeight.Should().Be(1);
        income.SortedTraining.Should().Equal(10, 20, 30, 40);
        var rate = (NumericColumnSpace)space.Find("Rate")!;
        rate.SortedTraining.Should().Equal(0.5, 1.5, 2.5);
        rate.IsInteger.Should().BeFalse();
        rate.Spread.Should().Be(1);
        ((NumericColumnSpace)space.Find("Years")!).IsInteger.Should().BeTrue();
        space.Find("Vector").Should().BeNull("vectors are context");
        space.Find("Label").Should().BeNull("the label is context");
    }

    [Fact]
    public void Bind_ConstantPartlyWholeAndOneValuedColumns_KeepTheirMeaning()
    {
        var people = new[] { 1.0, 1.5, 2.0, 3.0 }.Select(r => new Person { Income = 5, Years = 1, Rate = r, Job = "nurse", Owner = false }).ToArray();
        var space = Bind(new ColumnActionSet(), training: Training(people));
        var income = (NumericColumnSpace)space.Find("Income")!;
        income.Spread.Should().Be(1, "a constant column has standard deviation 0, so its spread is 1");
        income.Lower.Should().Be(5);
        ((NumericColumnSpace)space.Find("Rate")!).IsInteger.Should().BeFalse("one training value is not whole");
        ((CategoricalColumnSpace)space.Find("Owner")!).Categories.Should().Equal("False", "True");
        ((CategoricalColumnSpace)space.Find("Job")!).Categories.Should().Equal("nurse");
    }

    [Fact]
    public void Bind_ListedNumericColumn_OverridesTheStatistics()
    {
        var space = Bind(new ColumnActionSet(ColumnDefault.Immutable, new Dictionary<string, ColumnAction>
        {
            ["Income"] = new() { Lower = 0, Upper = 100, Integer = false, MaximumChange = 0.5, CostWeight = 3, Direction = ColumnDirection.Increase },
            ["Years"] = new() { Integer = false },
        }));
        var income = (NumericColumnSpace)space.Find("Income")!;
        income.Should().Match<NumericColumnSpace>(c => c.Lower == 0 && c.Upper == 100 && !c.IsInteger && c.CostWeight == 3 && c.Mutable
            && c.Direction == ColumnDirection.Increase);
        income.MaximumChange.Should().BeApproximately(0.5 * Math.Sqrt(500.0 / 3), 1e-12);
        ((NumericColumnSpace)space.Find("Years")!).IsInteger.Should().BeTrue("an Int32 column holds whole numbers whatever the action set says");
        space.Find("Rate")!.Mutable.Should().BeFalse();
        ((NumericColumnSpace)space.Find("Rate")!).MaximumChange.Should().Be(double.PositiveInfinity);
        space.MutableColumns.Select(c => c.Name).Should().Equal("Income", "Years");
    }

    [Fact]
    public void Bind_CategoricalColumns_ListTheKnownValues()
    {
        var space = Bind(new ColumnActionSet(), known: new Dictionary<string, IReadOnlyList<string>> { ["Job"] = ["teacher", "nurse"] });
        var job = (CategoricalColumnSpace)space.Find("Job")!;
        job.Categories.Should().Equal("teacher", "nurse", "clerk", "driver");
        job.Frequencies.Should().Equal(0, 0.5, 0.25, 0.25);
        job.IsOrdered.Should().BeFalse();
        job.IsEnterable("teacher").Should().BeTrue();
        job.Targets("nurse").Should().Equal("teacher", "clerk", "driver");
        var owner = (CategoricalColumnSpace)space.Find("Owner")!;
        owner.Categories.Should().Equal("False", "True");
        owner.Frequencies.Should().Equal(0.5, 0.5);
        owner.IsOrdered.Should().BeTrue("a Boolean column is ordered False < True");
    }

    [Fact]
    public void Bind_ListedCategories_ComeFirstAndAloneAreEnterable()
    {
        var space = Bind(new ColumnActionSet().With("Job", new ColumnAction { Categories = ["driver", "engineer"], Direction = ColumnDirection.Increase, CostWeight = 4 })
            .With("Owner", new ColumnAction { Categories = ["True"] }));
        var job = (CategoricalColumnSpace)space.Find("Job")!;
        job.Categories.Should().Equal("driver", "engineer", "clerk", "nurse");
        job.IsEnterable("engineer").Should().BeTrue();
        job.IsEnterable("nurse").Should().BeFalse();
        job.IsOrdered.Should().BeTrue();
        job.Direction.Should().Be(ColumnDirection.Increase);
        job.CostWeight.Should().Be(4);
        job.Targets("nurse").Should().Equal("driver", "engineer");
        job.Targets("engineer").Should().BeEmpty();
        var owner = (CategoricalColumnSpace)space.Find("Owner")!;
        owner.Categories.Should().Equal("True", "False");
        owner.Targets("False").Should().Equal("True");
        owner.Targets("True").Should().BeEmpty();
    }

    [Fact]
    public void Bind_UnlistedTextWithManyValues_IsFreeTextAndStaysImmutable()
    {
        var many = Enumerable.Range(0, ColumnActionSpace.MaximumUnlistedCategories + 1).Select(i => new Person { Job = $"job{i}" }).ToArray();
        Bind(new ColumnActionSet(), training: Training(many)).Find("Job")!.Mutable.Should().BeFalse();
        Bind(new ColumnActionSet(), training: Training(many[..ColumnActionSpace.MaximumUnlistedCategories])).Find("Job")!.Mutable.Should().BeTrue();
        Bind(new ColumnActionSet().With("Job", new ColumnAction()), training: Training(many)).Find("Job")!.Mutable.Should().BeTrue();
    }

    [Theory]
    [InlineData("Salary", "The action set names column 'Salary', which is not an input column of the model; its input columns are: Income, Years, Rate, Job, Owner, Vector, Label.*")]
    [InlineData("Vector", "The action set names column 'Vector' of type Vector<Single, 2>; actions apply to scalar numeric, text and Boolean columns.*")]
    [InlineData("Label", "The action set names column 'Label', the label; the label is never acted on.*")]
    public void Bind_ColumnTheActionSetCannotName_Throws(string name, string message)
    {
        var act = () => Bind(new ColumnActionSet().With(name, new ColumnAction()));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message).Which.ParamName.Should().Be("actions");
    }

    [Theory]
    [InlineData("Job", "{ \"integer\": true }", "Column 'Job' is String: lower, upper, integer and maximumChange do not apply to it.*")]
    [InlineData("Job", "{ \"lower\": 1 }", "Column 'Job' is String: lower, upper, integer and maximumChange do not apply to it.*")]
    [InlineData("Owner", "{ \"upper\": 1 }", "Column 'Owner' is Boolean: lower, upper, integer and maximumChange do not apply to it.*")]
    [InlineData("Owner", "{ \"maximumChange\": 1 }", "Column 'Owner' is Boolean: lower, upper, integer and maximumChange do not apply to it.*")]
    [InlineData("Owner", "{ \"categories\": [\"True\", \"yes\"] }", "Column 'Owner' is Boolean; its categories are \"True\" and \"False\", not 'yes'.*")]
    [InlineData("Job", "{ \"direction\": \"increase\" }", "Column 'Job' has direction increase but no categories: list them in order so the direction has a meaning.*")]
    [InlineData("Income", "{ \"categories\": [\"a\"] }", "Column 'Income' is numeric (Single); categories apply to text and Boolean columns.*")]
    [InlineData("Income", "{ \"lower\": 50 }", "The bounds of column 'Income' contradict each other: lower 50 > upper 40.*")]
    [InlineData("Income", "{ \"upper\": 5 }", "The bounds of column 'Income' contradict each other: lower 10 > upper 5.*")]
    public void Bind_ActionThatDoesNotFitTheColumn_Throws(string column, string action, string message)
    {
        var actions = ColumnActionSet.FromJson($$"""{ "columns": { "{{column}}": {{action}} } }""");
        var act = () => Bind(actions);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message).Which.ParamName.Should().Be("actions");
    }

    [Fact]
    public void Bind_BooleanDirectionWithoutCategories_IsAllowed()
    {
        var owner = (CategoricalColumnSpace)Bind(new ColumnActionSet().With("Owner", new ColumnAction { Direction = ColumnDirection.Increase })).Find("Owner")!;
        owner.Targets("False").Should().Equal("True");
        owner.Targets("True").Should().BeEmpty();
    }

    [Fact]
    public void Bind_TrainingDataWithoutTheColumnOrOfAnotherType_Throws()
    {
        var missing = Ml.Data.LoadFromEnumerable(new[] { new { Income = 1f } });
        var act = () => Bind(new ColumnActionSet(), training: missing);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("The training data has no column 'Years'; the statistics of the action set are read from the training data by column name.*")
            .Which.ParamName.Should().Be("training");
        var wrongType = Ml.Data.LoadFromEnumerable(new[] { new { Income = 1.0 } });
        var wrong = () => Bind(new ColumnActionSet(), training: wrongType);
        wrong.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Column 'Income' of the training data is Double, the model's input is Single.*");
    }

    [Fact]
    public void Bind_NumericColumnWithoutFiniteValues_Throws()
    {
        var act = () => Bind(new ColumnActionSet(), training: Training(People.Select(p => new Person { Income = p.Income, Years = p.Years, Rate = double.NaN, Job = p.Job })));
        act.Should().Throw<InvalidOperationException>().WithMessage("Column 'Rate' has no finite value in the training data*");
    }

    [Fact]
    public void Bind_UndefinedCostFunctionOrNulls_Throw()
    {
        var cost = () => Bind(new ColumnActionSet(), (ColumnCostFunction)5);
        cost.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown cost function 5.*");
        var nullActions = () => ColumnActionSpace.Bind(null!, Training().Schema, Training(), ColumnCostFunction.ScaledL1);
        nullActions.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void CostAndAllows_OfRawRows_SumAndNameTheColumn()
    {
        var space = Bind(new ColumnActionSet(ColumnDefault.Free, new Dictionary<string, ColumnAction> { ["Years"] = new() { Mutable = false } }),
            ColumnCostFunction.ChangedColumns);
        object?[] from = [20f, 2, 1.5, "clerk", false, new float[] { 1, 2 }, true];
        object?[] to = [30f, 2, 1.5, "nurse", true, new float[] { 1, 2 }, true];
        space.Cost(from, from).Should().Be(0);
        space.Cost(from, to).Should().Be(3);
        space.Allows(from, to, out string reason).Should().BeTrue();
        reason.Should().BeEmpty();
        var yearsChanged = (object?[])from.Clone();
        yearsChanged[1] = 3;
        space.Allows(from, yearsChanged, out reason).Should().BeFalse();
        reason.Should().Be("column 'Years': the column is immutable");
        var vectorChanged = (object?[])from.Clone();
        vectorChanged[5] = new float[] { 1, 3 };
        space.Allows(from, vectorChanged, out reason).Should().BeFalse();
        reason.Should().Be("column 'Vector' is context and cannot change");
        var labelChanged = (object?[])from.Clone();
        labelChanged[6] = false;
        space.Allows(from, labelChanged, out reason).Should().BeFalse();
        reason.Should().Be("column 'Label' is context and cannot change");
    }
}
