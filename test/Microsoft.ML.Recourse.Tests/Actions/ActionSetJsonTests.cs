using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Tests.Actions;

public class ActionSetJsonTests
{
    private static string Valid => ActionSetJsonFuzzTests.Seeds()[0];

    [Fact]
    public void Parse_WrittenSet_RoundTrips()
        => ActionSetJson.ToJson(ActionSetJson.Parse(Valid, "a.json")).ToJsonString().Should().Be(Valid);

    [Theory]
    [InlineData("\"features\":[{", "\"features\":[{\"colour\":1,", "a.json: $.features[0].colour is not a known key*")]
    [InlineData("\"maximumChange\":0.75", "\"maximumChange\":0.75,\"extra\":true", "a.json: $.extra is not a known key*")]
    [InlineData("\"isMutable\":true", "\"isMutable\":true,\"size\":2", "a.json: $.oneHotGroups[0].size is not a known key*")]
    [InlineData("\"constant\":-10", "\"constant\":-10,\"weight\":1", "a.json: $.linearConstraints[0].weight is not a known key*")]
    [InlineData("\"mean\":3000", "\"mean\":\"3000\"", "a.json: $.features[0].mean must be a number*")]
    [InlineData("\"mean\":3000", "\"mean\":1e400", "a.json: $.features[0].mean must be a finite number*")]
    [InlineData("\"scale\":2500", "\"scale\":-1", "a.json: $*is not accepted*")]
    [InlineData("\"actionability\":\"Free\"", "\"actionability\":\"1\"", "a.json: $.features[0].actionability must be one of*got '1'*")]
    [InlineData("\"isCategorical\":false", "\"isCategorical\":0", "a.json: $.features[0].isCategorical must be true or false*")]
    [InlineData("\"mean\":3000", "\"mean\":3000,\"mean\":4000", "a.json: $.features[0].mean is repeated: a key may appear once in an object.")]
    [InlineData("{\"maximumChange\"", "[{\"maximumChange\"", "a.json: not valid JSON*LineNumber*")]
    [InlineData("\"members\":[\"status_1\",\"status_2\"]", "\"members\":[\"status_1\",2]", "a.json: $.oneHotGroups[0].members[1] must be a string*")]
    [InlineData("\"change\":{\"amount\":1}", "\"change\":{\"amount\":null}", "a.json: $.linearConstraints[0].change.amount must be a number, not null*")]
    [InlineData("\"change\":{\"amount\":1}", "\"change\":{\"nobody\":1}", "a.json: $.linearConstraints[0] is not accepted*nobody*")]
    public void Parse_BrokenDocument_ThrowsFormatExceptionNamingThePath(string find, string replace, string message)
    {
        Valid.Should().Contain(find);
        var act = () => ActionSetJson.Parse(Valid.Replace(find, replace, StringComparison.Ordinal), "a.json");

        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void Parse_RootIsNotAnObject_NamesTheRoot()
        => FluentActions.Invoking(() => ActionSetJson.Parse("[]", "a.json")).Should().Throw<FormatException>().WithMessage("a.json: $ (the root) must be an object.");

    [Fact]
    public void Parse_MissingFeatures_NamesTheKey()
        => FluentActions.Invoking(() => ActionSetJson.Parse("{\"maximumChange\":1,\"oneHotGroups\":[],\"linearConstraints\":[]}", "a.json"))
            .Should().Throw<FormatException>().WithMessage("a.json: $.features is missing.");
}
