using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Tests.MultiAgent;

public class StructuralCausalModelTests
{
    // X1 := U1;  X2 := 1 + 2·X1 + U2;  X3 := X1 − 0.5·X2 + U3 (X3 belongs to another agent: a cross-agent edge).
    private static StructuralCausalModel ThreeVariableModel() => new MLContext(seed: 1).Recourse().MultiAgent.CreateCausalModel()
        .AddLinear("x3", 0, [("x1", 1.0), ("x2", -0.5)], agent: "b", FeatureActionability.Free)
        .AddRoot("x1", agent: "a", FeatureActionability.Free)
        .AddLinear("x2", 1, [("x1", 2.0)], agent: "a", FeatureActionability.IncreaseOnly)
        .Build();

    [Fact]
    public void Abduct_ThreeVariableLinearModel_RecoversHandComputedNoise()
    {
        var scm = ThreeVariableModel();
        double[] factual = [0, 1, 4]; // x3, x1, x2 in declaration order
        // u1 = 1; u2 = 4 − (1 + 2·1) = 1; u3 = 0 − (1 − 0.5·4) = 1.
        scm.Abduct(factual).Should().Equal(1, 1, 1);
        scm.Evaluate(scm.Abduct(factual)).Should().Equal(factual);
        scm.TopologicalOrder.Select(i => scm.Variables[i].Name).Should().Equal("x1", "x2", "x3");
    }

    [Fact]
    public void Counterfactual_InterveneOnRoot_PropagatesWithAbductedNoise()
    {
        var scm = ThreeVariableModel();
        double[] factual = [0, 1, 4];
        // do(x1 := 3): x2 = 1 + 6 + u2(1) = 8; x3 = 3 − 4 + u3(1) = 0.
        scm.Counterfactual(factual, scm.Do(("x1", 3))).Should().Equal(0, 3, 8);
    }

    [Fact]
    public void Counterfactual_InterveneOnMiddle_CutsIncomingEdgeAndKeepsAncestors()
    {
        var scm = ThreeVariableModel();
        double[] factual = [0, 1, 4];
        // do(x2 := 0): x1 is not a descendant and stays 1; x3 = 1 − 0 + 1 = 2.
        scm.Counterfactual(factual, scm.Do(("x2", 0))).Should().Equal(2, 1, 0);
        // Setting both: x3 = 3 − 0.5·10 + 1 = −1.
        scm.Counterfactual(factual, scm.Do(("x1", 3), ("x2", 10))).Should().Equal(-1, 3, 10);
    }

    [Fact]
    public void Counterfactual_FunctionEquation_UsesAdditiveNoise()
    {
        var scm = new MLContext(1).Recourse().MultiAgent.CreateCausalModel()
            .AddRoot("p", "principal", FeatureActionability.Free)
            .Add("o", StructuralEquation.Function(["p"], v => v[0] * v[0]), "other")
            .Build();
        double[] factual = [2, 5]; // u_o = 5 − 4 = 1
        scm.Counterfactual(factual, scm.Do(("p", 3))).Should().Equal(3, 10);
    }

    [Fact]
    public void Counterfactual_ReciprocatingPartner_MovesThePartnersChoice()
    {
        // The §2.3 extension: X_o := X_p, a partner who copies the principal.
        var scm = new MLContext(1).Recourse().MultiAgent.CreateCausalModel()
            .AddRoot("p", "principal", FeatureActionability.Free)
            .AddLinear("o", 0, [("p", 1.0)], "other", FeatureActionability.Free)
            .Build();
        scm.Counterfactual([1, 1], scm.Do(("p", 0))).Should().Equal(0, 0);
    }

    [Fact]
    public void Build_CyclicGraph_ThrowsNamingTheCycle()
    {
        var builder = new MLContext(1).Recourse().MultiAgent.CreateCausalModel()
            .AddLinear("a", 0, [("c", 1.0)])
            .AddLinear("b", 0, [("a", 1.0)])
            .AddLinear("c", 0, [("b", 1.0)]);
        var act = () => builder.Build();
        act.Should().Throw<InvalidOperationException>().WithMessage("The causal graph has a cycle: *a → b → c*");
    }

    [Fact]
    public void Build_UnknownParent_Throws()
    {
        var builder = new MLContext(1).Recourse().MultiAgent.CreateCausalModel().AddLinear("a", 0, [("zz", 1.0)]);
        var act = () => builder.Build();
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'a' has an unknown parent 'zz'*");
    }

    [Fact]
    public void Do_UnknownVariable_ThrowsNamingIt()
    {
        var act = () => ThreeVariableModel().Do(("x9", 1));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown variable 'x9'*");
    }

    [Fact]
    public void Do_NonActionableVariable_ThrowsNamingIt()
    {
        var scm = new MLContext(1).Recourse().MultiAgent.CreateCausalModel().AddRoot("age").Build();
        var act = () => scm.Do(("age", 30));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Variable 'age' is not actionable*");
    }

    [Fact]
    public void Counterfactual_WrongStateLength_Throws()
    {
        var scm = ThreeVariableModel();
        var act = () => scm.Counterfactual([1, 2], scm.Do(("x1", 0)));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Expected 3 values*");
    }

    [Fact]
    public void Fit_LinearEquationFromNoiselessData_RecoversCoefficients()
    {
        var random = new Random(3);
        int rows = 50;
        var parents = new double[rows * 2];
        var values = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            parents[2 * r] = random.NextDouble();
            parents[2 * r + 1] = random.NextDouble();
            values[r] = 0.5 + 2 * parents[2 * r] - 3 * parents[2 * r + 1];
        }
        var eq = LinearStructuralEquation.Fit(["a", "b"], parents, values);
        eq.Intercept.Should().BeApproximately(0.5, 1e-9);
        eq.Weights[0].Should().BeApproximately(2, 1e-9);
        eq.Weights[1].Should().BeApproximately(-3, 1e-9);
    }

    [Fact]
    public void Fit_CollinearParents_ThrowsClearError()
    {
        double[] parents = [1, 2, 2, 4, 3, 6, 4, 8];
        var act = () => LinearStructuralEquation.Fit(["a", "b"], parents, [1.0, 2, 3, 4], fitIntercept: false);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*collinear*");
    }
}
