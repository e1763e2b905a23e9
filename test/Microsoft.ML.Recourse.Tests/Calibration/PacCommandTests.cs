using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Text.Json;
using Microsoft.ML.Recourse.Tests.Persuasion;

namespace Microsoft.ML.Recourse.Tests.Calibration;

/// <summary>Runs the real <c>recourse pac</c> command, as a user would.</summary>
public class PacCommandTests
{
    [Fact]
    public void Pac_Json_PrintsMinimumSizeAndAllowedMisses()
    {
        var (exit, output, error) = CliRunner.Run("pac", "--epsilon", "0.05", "--delta", "0.05", "--n", "500", "--json");
        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("minimumN").GetInt64().Should().Be(59);
        json.RootElement.GetProperty("n").GetInt32().Should().Be(500);
        json.RootElement.GetProperty("allowedMisses").GetInt32().Should().Be(16);
        json.RootElement.GetProperty("convention").GetString().Should().Be("standard");
    }

    [Fact]
    public void Pac_SizeBelowMinimum_ReportsNoCertificate()
    {
        var (exit, output, error) = CliRunner.Run("pac", "--n", "58", "--json");
        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("allowedMisses").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Pac_ReferenceConvention_ReproducesTheReferenceExample()
    {
        var (exit, output, error) = CliRunner.Run("pac", "--n", "100", "--convention", "reference", "--json");
        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("allowedMisses").GetInt32().Should().Be(8);
        json.RootElement.GetProperty("confidence").GetDouble().Should().Be(0.05);
    }

    [Fact]
    public void Pac_Table_ShowsThePlan()
    {
        var (exit, output, error) = CliRunner.Run("pac", "--epsilon", "0.1", "--delta", "0.05", "--n", "1000");
        exit.Should().Be(0, error);
        output.Should().Contain("Minimum calibration size").And.Contain("29").And.Contain("Allowed misses k*").And.Contain("84");
    }

    [Theory]
    [InlineData("--epsilon", "1.5", "--epsilon expects a number > 0 and < 1; got")]
    [InlineData("--epsilon", "0", "--epsilon expects a number > 0 and < 1; got")]
    [InlineData("--delta", "1", "--delta expects a number > 0 and < 1; got")]
    [InlineData("--n", "-3", "--n expects a whole number ≥ 0; got '-3'")]
    public void Pac_BadParameter_ExitsWithClearError(string option, string value, string message)
    {
        var (exit, _, error) = CliRunner.Run("pac", option, value);
        exit.Should().Be(1);
        error.Should().Contain(message);
    }
}
