using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Tests.Actions;

// The action set over raw columns: its checks, its JSON form (read and written) and its binding to an input vector.
public class ColumnActionSetTests
{
    private static ColumnActionSet Set(string name, ColumnAction action, ColumnDefault @default = ColumnDefault.Free, double? maximumChange = null)
        => new(@default, new Dictionary<string, ColumnAction> { [name] = action }, maximumChange);

    private static void ShouldRejectColumn(ColumnAction action, string message)
    {
        var act = () => Set("a", action);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message + " (Parameter 'columns')");
    }

    [Fact]
    public void Constructor_Defaults_AreFreeWithoutMaximumChange()
    {
        var set = new ColumnActionSet();
        set.Default.Should().Be(ColumnDefault.Free);
        set.MaximumChange.Should().BeNull();
        set.Columns.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_KeepsDefaultMaximumChangeAndColumns()
    {
        var action = new ColumnAction { Direction = ColumnDirection.Increase };
        var set = Set("age", action, ColumnDefault.Immutable, maximumChange: 1.5);
        set.Default.Should().Be(ColumnDefault.Immutable);
        set.MaximumChange.Should().Be(1.5);
        set.Columns.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, ColumnAction>("age", action));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Constructor_NonPositiveMaximumChange_Throws(double maximumChange)
    {
        var act = () => new ColumnActionSet(maximumChange: maximumChange);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maximumChange");
    }

    [Fact]
    public void Constructor_TinyPositiveMaximumChange_IsAccepted()
        => new ColumnActionSet(maximumChange: double.Epsilon).MaximumChange.Should().Be(double.Epsilon);

    [Fact]
    public void Constructor_UndefinedDefault_Throws()
    {
        var act = () => new ColumnActionSet((ColumnDefault)7);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown default 7.*").Which.ParamName.Should().Be("default");
    }

    [Fact]
    public void Constructor_EmptyNameOrNullAction_Throws()
    {
        var empty = () => Set("", new ColumnAction());
        empty.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A column name is empty.*");
        var nullAction = () => Set("a", null!);
        nullAction.Should().Throw<ArgumentOutOfRangeException>().WithMessage("The action of column 'a' is null.*");
    }

    [Fact]
    public void Constructor_EachBadColumnAction_ThrowsNamingTheColumn()
    {
        ShouldRejectColumn(new ColumnAction { Direction = (ColumnDirection)9 }, "Column 'a': unknown direction 9.");
        ShouldRejectColumn(new ColumnAction { Lower = double.NegativeInfinity }, "Column 'a': the lower bound must be finite.");
        ShouldRejectColumn(new ColumnAction { Upper = double.NaN }, "Column 'a': the upper bound must be finite.");
        ShouldRejectColumn(new ColumnAction { Lower = 3, Upper = 2 }, "Column 'a': lower 3 > upper 2.");
        ShouldRejectColumn(new ColumnAction { MaximumChange = 0 }, "Column 'a': the maximum change must be > 0.");
        ShouldRejectColumn(new ColumnAction { CostWeight = 0 }, "Column 'a': the cost weight must be finite and > 0.");
        ShouldRejectColumn(new ColumnAction { CostWeight = double.PositiveInfinity }, "Column 'a': the cost weight must be finite and > 0.");
        ShouldRejectColumn(new ColumnAction { Categories = [] }, "Column 'a': the category list is empty.");
        ShouldRejectColumn(new ColumnAction { Categories = ["x", null!] }, "Column 'a': a category is null.");
        ShouldRejectColumn(new ColumnAction { Categories = ["x", "y", "x"] }, "Column 'a': category 'x' is listed twice.");
        foreach (var numeric in new[] { new ColumnAction { Lower = 1 }, new ColumnAction { Upper = 1 }, new ColumnAction { Integer = false }, new ColumnAction { MaximumChange = 1 } })
            ShouldRejectColumn(numeric with { Categories = ["x"] }, "Column 'a' lists categories, so lower, upper, integer and maximumChange do not apply to it.");
    }

    [Fact]
    public void Constructor_BoundaryColumnActions_AreAccepted()
    {
        Set("a", new ColumnAction { Lower = 2, Upper = 2 }).Columns["a"].Lower.Should().Be(2);
        Set("a", new ColumnAction { Lower = 2 }).Columns["a"].Upper.Should().BeNull();
        Set("a", new ColumnAction { Upper = -2 }).Columns["a"].Upper.Should().Be(-2);
        Set("a", new ColumnAction { MaximumChange = 1e-9, CostWeight = 1e-9 }).Columns["a"].CostWeight.Should().Be(1e-9);
        Set("a", new ColumnAction { Categories = ["x", "X"], Direction = ColumnDirection.Decrease }).Columns["a"].Categories.Should().Equal("x", "X");
    }

    [Fact]
    public void With_AddsOrReplacesAColumnAndKeepsTheRest()
    {
        var set = Set("a", new ColumnAction { Mutable = false }, ColumnDefault.Immutable, maximumChange: 2);
        var added = set.With("b", new ColumnAction { Direction = ColumnDirection.Decrease });
        added.Default.Should().Be(ColumnDefault.Immutable);
        added.MaximumChange.Should().Be(2);
        added.Columns.Keys.Should().BeEquivalentTo("a", "b");
        set.Columns.Keys.Should().Equal("a");
        added.With("a", new ColumnAction()).Columns["a"].Mutable.Should().BeTrue();
        var nullName = () => set.With(null!, new ColumnAction());
        nullName.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("column");
    }

    [Fact]
    public void FromJson_EveryKey_IsRead()
    {
        var set = ColumnActionSet.FromJson("""
            { "default": "immutable", "maximumChange": 1.5,
              "columns": {
                "age": { "direction": "increase", "upper": 90, "integer": true },
                "debt": { "direction": "decrease", "lower": 0, "maximumChange": 0.5, "costWeight": 2 },
                "hours": { "direction": "any", "integer": false },
                "sex": { "mutable": false },
                "job": { "categories": ["clerk", "nurse"], "mutable": true } } }
            """);
        set.Default.Should().Be(ColumnDefault.Immutable);
        set.MaximumChange.Should().Be(1.5);
        set.Columns["age"].Should().Be(new ColumnAction { Direction = ColumnDirection.Increase, Upper = 90, Integer = true });
        set.Columns["debt"].Should().Be(new ColumnAction { Direction = ColumnDirection.Decrease, Lower = 0, MaximumChange = 0.5, CostWeight = 2 });
        set.Columns["hours"].Should().Be(new ColumnAction { Direction = ColumnDirection.Any, Integer = false });
        set.Columns["sex"].Mutable.Should().BeFalse();
        set.Columns["job"].Mutable.Should().BeTrue();
        set.Columns["job"].Categories.Should().Equal("clerk", "nurse");
    }

    [Fact]
    public void FromJson_EmptyObject_IsFreeWithNothingListed()
    {
        var set = ColumnActionSet.FromJson("{}");
        set.Default.Should().Be(ColumnDefault.Free);
        set.MaximumChange.Should().BeNull();
        set.Columns.Should().BeEmpty();
        ColumnActionSet.FromJson("""{ "default": "free" }""").Default.Should().Be(ColumnDefault.Free);
    }

    [Theory]
    [InlineData("{", "a.json: not valid JSON (*).")]
    [InlineData("[]", "a.json: the document must be a JSON object.")]
    [InlineData("""{ "colour": 1 }""", "a.json: unknown key $.colour; the keys here are: default, maximumChange, columns.")]
    [InlineData("""{ "default": "open" }""", "a.json: $.default must be \"free\" or \"immutable\".")]
    [InlineData("""{ "default": 1 }""", "a.json: $.default must be \"free\" or \"immutable\".")]
    [InlineData("""{ "maximumChange": 0 }""", "a.json: $.maximumChange must be > 0; got 0.")]
    [InlineData("""{ "maximumChange": -0.5 }""", "a.json: $.maximumChange must be > 0; got -0.5.")]
    [InlineData("""{ "maximumChange": "1" }""", "a.json: $.maximumChange must be a finite number.")]
    [InlineData("""{ "maximumChange": 1e400 }""", "a.json: $.maximumChange must be a finite number.")]
    [InlineData("""{ "columns": [] }""", "a.json: $.columns must be an object keyed by column name.")]
    [InlineData("""{ "columns": { "a": {}, "a": {} } }""", "a.json: $.columns['a'] is listed twice.")]
    [InlineData("""{ "columns": { "a": 1 } }""", "a.json: $.columns['a'] must be an object.")]
    [InlineData("""{ "columns": { "a": { "size": 1 } } }""", "a.json: unknown key $.columns['a'].size; the keys here are: mutable, direction, lower, upper, integer, maximumChange, costWeight, categories.")]
    [InlineData("""{ "columns": { "a": { "mutable": 0 } } }""", "a.json: $.columns['a'].mutable must be true or false.")]
    [InlineData("""{ "columns": { "a": { "integer": "yes" } } }""", "a.json: $.columns['a'].integer must be true or false.")]
    [InlineData("""{ "columns": { "a": { "direction": "up" } } }""", "a.json: $.columns['a'].direction must be \"increase\", \"decrease\" or \"any\".")]
    [InlineData("""{ "columns": { "a": { "direction": 1 } } }""", "a.json: $.columns['a'].direction must be \"increase\", \"decrease\" or \"any\".")]
    [InlineData("""{ "columns": { "a": { "lower": null } } }""", "a.json: $.columns['a'].lower must be a finite number.")]
    [InlineData("""{ "columns": { "a": { "upper": "2" } } }""", "a.json: $.columns['a'].upper must be a finite number.")]
    [InlineData("""{ "columns": { "a": { "lower": 3, "upper": 2.5 } } }""", "a.json: $.columns['a']: lower 3 > upper 2.5.")]
    [InlineData("""{ "columns": { "a": { "maximumChange": 0 } } }""", "a.json: $.columns['a'].maximumChange must be > 0; got 0.")]
    [InlineData("""{ "columns": { "a": { "costWeight": -1 } } }""", "a.json: $.columns['a'].costWeight must be > 0; got -1.")]
    [InlineData("""{ "columns": { "a": { "categories": "x" } } }""", "a.json: $.columns['a'].categories must be an array of strings.")]
    [InlineData("""{ "columns": { "a": { "categories": ["x", 2] } } }""", "a.json: $.columns['a'].categories[1] must be a string.")]
    [InlineData("""{ "columns": { "a": { "categories": ["x", "y", "y"] } } }""", "a.json: $.columns['a'].categories[2] repeats the category 'y'.")]
    [InlineData("""{ "columns": { "a": { "categories": [] } } }""", "a.json: $.columns['a'].categories is empty; list at least one category.")]
    [InlineData("""{ "columns": { "a": { "categories": ["x"], "lower": 1 } } }""", "a.json: $.columns['a'] lists categories, so lower, upper, integer and maximumChange do not apply to it.")]
    [InlineData("""{ "columns": { "a": { "categories": ["x"], "upper": 1 } } }""", "a.json: $.columns['a'] lists categories, so lower, upper, integer and maximumChange do not apply to it.")]
    [InlineData("""{ "columns": { "a": { "categories": ["x"], "integer": true } } }""", "a.json: $.columns['a'] lists categories, so lower, upper, integer and maximumChange do not apply to it.")]
    [InlineData("""{ "columns": { "a": { "categories": ["x"], "maximumChange": 1 } } }""", "a.json: $.columns['a'] lists categories, so lower, upper, integer and maximumChange do not apply to it.")]
    [InlineData("""{ "columns": { "": {} } }""", "a.json: A column name is empty. (Parameter 'columns')")]
    public void FromJson_BrokenDocument_ThrowsFormatExceptionNamingThePath(string json, string message)
    {
        var act = () => ColumnActionSet.FromJson(json, "a.json");
        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void FromJson_DefaultSource_IsNamedActionSet()
    {
        var act = () => ColumnActionSet.FromJson("[]");
        act.Should().Throw<FormatException>().WithMessage("action set: the document must be a JSON object.");
        var nullJson = () => ColumnActionSet.FromJson(null!);
        nullJson.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void FromJson_ConstructorError_KeepsItAsInnerException()
    {
        var act = () => ColumnActionSet.FromJson("""{ "columns": { "": {} } }""", "a.json");
        act.Should().Throw<FormatException>().WithInnerException<ArgumentOutOfRangeException>();
        var invalid = () => ColumnActionSet.FromJson("{", "a.json");
        invalid.Should().Throw<FormatException>().WithInnerException<System.Text.Json.JsonException>();
    }

    [Fact]
    public void ToJson_WritesOnlyTheKeysThatDifferFromTheDefaults()
    {
        var set = new ColumnActionSet(ColumnDefault.Free, new Dictionary<string, ColumnAction> { ["a"] = new() });
        set.ToJson().Should().Be("{\n  \"default\": \"free\",\n  \"columns\": {\n    \"a\": {}\n  }\n}".Replace("\n", Environment.NewLine, StringComparison.Ordinal));
    }

    [Fact]
    public void ToJson_EveryKey_IsWrittenAndReadBack()
    {
        var set = new ColumnActionSet(ColumnDefault.Immutable, new Dictionary<string, ColumnAction>
        {
            ["age"] = new() { Direction = ColumnDirection.Increase, Upper = 90, Integer = true },
            ["debt"] = new() { Direction = ColumnDirection.Decrease, Lower = 0.5, MaximumChange = 0.25, CostWeight = 2 },
            ["hours"] = new() { Integer = false },
            ["sex"] = new() { Mutable = false },
            ["job"] = new() { Categories = ["clerk", "nurse"], Direction = ColumnDirection.Increase },
        }, maximumChange: 1.5);
        string json = set.ToJson();
        json.Should().Contain("\"default\": \"immutable\"").And.Contain("\"maximumChange\": 1.5").And.Contain("\"mutable\": false")
            .And.Contain("\"direction\": \"increase\"").And.Contain("\"direction\": \"decrease\"").And.Contain("\"lower\": 0.5")
            .And.Contain("\"upper\": 90").And.Contain("\"integer\": true").And.Contain("\"integer\": false").And.Contain("\"maximumChange\": 0.25")
            .And.Contain("\"costWeight\": 2").And.Contain("\"categories\": [");
        json.Should().NotContain("\"direction\": \"any\"").And.NotContain("\"mutable\": true");
        var back = ColumnActionSet.FromJson(json);
        back.Default.Should().Be(ColumnDefault.Immutable);
        back.MaximumChange.Should().Be(1.5);
        back.Columns.Keys.Should().Equal(set.Columns.Keys);
        foreach (var (name, action) in set.Columns)
        {
            var read = back.Columns[name];
            read.Should().BeEquivalentTo(action, $"column {name} round-trips");
        }
    }

    // Bind: one feature per input slot with statistics of the training rows.
    private static readonly string[] Names = ["income", "years", "flag"];

    // income: 10, 20, 30, 40 (whole); years: 1.5, 2, 3, 4.5; flag: constant 1.
    private static readonly double[] Training = [10, 1.5, 1, 20, 2, 1, 30, 3, 1, 40, 4.5, 1];

    private static ActionSet Bind(ColumnActionSet set, bool boundsFromTraining = true, IReadOnlyList<(string, IReadOnlyList<string>)>? columns = null)
        => set.Bind(Names, columns ?? [], Training, boundsFromTraining);

    [Fact]
    public void Bind_UnlistedColumns_FollowTheDefaultWithTrainingStatistics()
    {
        var actions = Bind(new ColumnActionSet());
        actions.Features.Select(f => f.Name).Should().Equal(Names);
        actions.Features.Select(f => f.Actionability).Should().AllBeEquivalentTo(FeatureActionability.Free);
        actions.Features.Select(f => f.IsInteger).Should().Equal(true, false, true);
        actions.MaximumChange.Should().Be(double.PositiveInfinity);
        actions.Actions[0].StandardScale.Should().BeApproximately(Math.Sqrt(500.0 / 3), 1e-12, "the sample standard deviation of 10, 20, 30, 40");
        actions.Actions[1].StandardScale.Should().BeApproximately(Math.Sqrt(5.25 / 3), 1e-12, "1.5, 2, 3, 4.5 around 2.75");
        actions.Actions[2].StandardScale.Should().Be(1, "a constant column has standard deviation 0, so its scale is 1");
        actions.Actions[0].LowerBound.Should().Be(10);
        actions.Actions[0].UpperBound.Should().Be(40);
        actions.Actions[1].LowerBound.Should().Be(1.5);
        actions.Actions[1].UpperBound.Should().Be(4.5);
        actions.Actions[0].GridStep.Should().Be(1, "whole-number columns move in whole steps");
        actions.Actions[1].HasGrid.Should().BeFalse();
        actions.Actions.Select(a => a.CostWeight).Should().AllBeEquivalentTo(1.0);
        actions.Actions.Select(a => a.MaximumChange).Should().AllBeEquivalentTo(double.PositiveInfinity);
    }

    [Fact]
    public void Bind_ImmutableDefault_FreezesUnlistedColumns()
    {
        var actions = Bind(new ColumnActionSet(ColumnDefault.Immutable).With("years", new ColumnAction()));
        actions.Features.Select(f => f.Actionability).Should().Equal(FeatureActionability.Immutable, FeatureActionability.Free, FeatureActionability.Immutable);
    }

    [Fact]
    public void Bind_ListedColumns_TakeTheirDirectionBoundsStepsAndWeights()
    {
        var set = new ColumnActionSet(ColumnDefault.Free, new Dictionary<string, ColumnAction>
        {
            ["income"] = new() { Direction = ColumnDirection.Increase, Upper = 100, Integer = false, MaximumChange = 0.5, CostWeight = 3 },
            ["years"] = new() { Direction = ColumnDirection.Decrease, Lower = 0, Integer = true },
            ["flag"] = new() { Mutable = false, Direction = ColumnDirection.Increase },
        }, maximumChange: 2);
        var actions = Bind(set);
        actions.Features.Select(f => f.Actionability).Should().Equal(FeatureActionability.IncreaseOnly, FeatureActionability.DecreaseOnly, FeatureActionability.Immutable);
        actions.Features.Select(f => f.IsInteger).Should().Equal(false, true, true);
        actions.MaximumChange.Should().Be(2);
        actions.Actions[0].Should().Match<FeatureAction>(a => a.LowerBound == 10 && a.UpperBound == 100 && a.MaximumChange == 0.5 && a.CostWeight == 3 && !a.HasGrid);
        actions.Actions[1].Should().Match<FeatureAction>(a => a.LowerBound == 0 && a.UpperBound == 4.5 && a.MaximumChange == 2 && a.CostWeight == 1 && a.GridStep == 1);
        actions.HasOwnMaximumChange.Should().Equal(true, false, false);
    }

    [Fact]
    public void Bind_WithoutTrainingBounds_BindsOnlyDirectionsChangesAndWeights()
    {
        var actions = Bind(new ColumnActionSet().With("years", new ColumnAction { Integer = true, Upper = 3, CostWeight = 2 }), boundsFromTraining: false);
        actions.Features.Select(f => f.IsInteger).Should().AllBeEquivalentTo(false);
        actions.Actions.Select(a => a.LowerBound).Should().AllBeEquivalentTo(double.NegativeInfinity);
        actions.Actions.Select(a => a.UpperBound).Should().AllBeEquivalentTo(double.PositiveInfinity);
        actions.Actions.Select(a => a.HasGrid).Should().AllBeEquivalentTo(false);
        actions.Actions[1].CostWeight.Should().Be(2);
        actions.Actions[0].StandardScale.Should().BeApproximately(Math.Sqrt(500.0 / 3), 1e-12, "scales still come from the training rows");
    }

    [Fact]
    public void Bind_ColumnName_CoversEverySlotButASlotNameWins()
    {
        var set = new ColumnActionSet(ColumnDefault.Free, new Dictionary<string, ColumnAction>
        {
            ["flag"] = new() { Mutable = false },
            ["vector"] = new() { Direction = ColumnDirection.Decrease },
        });
        var actions = Bind(set, columns: [("vector", ["years", "flag"])]);
        actions.Features.Select(f => f.Actionability).Should().Equal(FeatureActionability.Free, FeatureActionability.DecreaseOnly, FeatureActionability.Immutable);
    }

    [Fact]
    public void Bind_UnknownColumn_ThrowsListingTheInputs()
    {
        var act = () => Bind(new ColumnActionSet().With("salary", new ColumnAction()), columns: [("vector", ["years"])]);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The action set names column 'salary', which is not an input of the model; its inputs are: income, years, flag.*")
            .Which.ParamName.Should().Be("actions");
    }

    [Fact]
    public void Bind_BoundsThatContradictTheTrainingRange_Throw()
    {
        var act = () => Bind(new ColumnActionSet().With("income", new ColumnAction { Lower = 50 }));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("The bounds of 'income' contradict each other: lower 50 > upper 40.*")
            .Which.ParamName.Should().Be("actions");
        Bind(new ColumnActionSet().With("income", new ColumnAction { Lower = 40 })).Actions[0].LowerBound.Should().Be(40);
    }

    [Fact]
    public void Bind_EmptyOrRaggedTraining_Throws()
    {
        var empty = () => new ColumnActionSet().Bind(Names, [], []);
        empty.Should().Throw<InvalidOperationException>().WithMessage("The training data is empty*");
        var ragged = () => new ColumnActionSet().Bind(Names, [], [1, 2, 3, 4]);
        ragged.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void SlotStatistics_SampleDeviationRangeAndWholeness()
    {
        var s = SlotStatistics.Of([1, -2, 3, 0.5, 5, 2], 2);
        s[0].Should().Be(new SlotStatistics(2, 1, 5, true));
        double mean = 0.5 / 3;
        s[1].StandardDeviation.Should().BeApproximately(Math.Sqrt((Math.Pow(-2 - mean, 2) + Math.Pow(0.5 - mean, 2) + Math.Pow(2 - mean, 2)) / 2), 1e-12, "the sample deviation divides by n − 1");
        s[1].Minimum.Should().Be(-2);
        s[1].Maximum.Should().Be(2);
        s[1].AllWhole.Should().BeFalse();
        SlotStatistics.Of([7, -3], 2).Should().Equal(new SlotStatistics(0, 7, 7, true), new SlotStatistics(0, -3, -3, true));
    }
}
