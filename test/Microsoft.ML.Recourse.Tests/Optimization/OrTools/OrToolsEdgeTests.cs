using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;
using static Microsoft.ML.Recourse.Tests.Optimization.LinearProgramTestData;

namespace Microsoft.ML.Recourse.Tests.Optimization.OrTools;

// What the OR-Tools layer reports besides the optimum: notes, engine choice, duals, certificates and settings.
public class OrToolsEdgeTests
{
    // x + y ≥ 3 with x, y ∈ [0, 1]: the box gives x + y ≤ 2, a violation of 1.
    private static readonly LinearProgram s_infeasible = new([1, -1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 3, Inf)]);

    [Fact]
    public void Glop_OptimalAnswer_HasNoMessageAndOneDualPerRow()
    {
        // min x + y s.t. x + 2y ≥ 2, 3x + y ≥ 3, x, y ≥ 0: (0.8, 0.6) with 1.4; both rows bind.
        var problem = new LinearProgram([1, 1], [0, 0], [Inf, Inf], [new LinearConstraint([0, 1], [1, 2], 2, Inf), new LinearConstraint([0, 1], [3, 1], 3, Inf)]);
        var result = new GlopSolver().Solve(problem, out var duals);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Message.Should().BeNull();
        result.Certificate.Should().BeNull();
        result.ObjectiveValue.Should().Be(result.Solution[0] + result.Solution[1], "the objective is recomputed from the solution");
        duals.Should().HaveCount(2);
        (2 * Math.Abs(duals[0]) + 3 * Math.Abs(duals[1])).Should().BeApproximately(1.4, 1e-9, "LP duality: bᵀy equals the optimum");
    }

    [Fact]
    public void Glop_Infeasible_CarriesTheNoteTheCertificateAndNoDuals()
    {
        var result = new GlopSolver().Solve(s_infeasible, out var duals);
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        result.Message.Should().Be("GLOP status INFEASIBLE.");
        duals.Should().BeEmpty();
        result.Certificate!.Gap.Should().BeApproximately(1, 1e-9);
        result.Certificate.Verify(s_infeasible).Should().BeApproximately(result.Certificate.Gap, 1e-12);
    }

    [Fact]
    public void Glop_EmptyColumnRange_IsReportedWithoutCertificate()
    {
        var problem = new LinearProgram([1, 1], [0, 2], [1, 1], [new LinearConstraint([0, 1], [1, 1], 0, 5)]);
        var result = new GlopSolver().Solve(problem, out var duals);
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        result.Message.Should().Be("Variable 1 has an empty range [2, 1].");
        result.Certificate.Should().BeNull();
        duals.Should().BeEmpty();
    }

    [Fact]
    public void Glop_UnboundedRay_HasNoSolutionAndNoDuals()
    {
        var problem = new LinearProgram([1, -1], [0, 0], [1, Inf], [new LinearConstraint([0, 1], [1, -1], -Inf, 4)]);
        var result = new GlopSolver().Solve(problem, out var duals);
        result.Status.Should().Be(LinearProgramStatus.Unbounded);
        result.Solution.Should().BeEmpty();
        double.IsNaN(result.ObjectiveValue).Should().BeTrue();
        duals.Should().BeEmpty();
        result.Message.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Glop_FreeVariablesWithAFiniteOptimum_AreOptimal()
    {
        // min x s.t. x − y ≥ 1, y ≥ −2 with x and y free below: x = −1 at y = −2.
        var problem = new LinearProgram([1, 0], [-Inf, -Inf], [Inf, Inf], [new LinearConstraint([0, 1], [1, -1], 1, Inf), new LinearConstraint([1], [1], -2, Inf)]);
        var result = new GlopSolver().Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.ObjectiveValue.Should().BeApproximately(-1, 1e-9);
    }

    [Fact]
    public void Glop_Settings_AreCheckedAndKept()
    {
        new GlopSolver().MaximumSeconds.Should().Be(double.PositiveInfinity);
        new GlopSolver(2.5).MaximumSeconds.Should().Be(2.5);
        FluentActions.Invoking(() => new GlopSolver(-1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Must be > 0 (or +∞ for no limit); got -1. (Parameter 'maximumSeconds')");
        FluentActions.Invoking(() => new GlopSolver().Solve(null!)).Should().Throw<ArgumentNullException>();
        var integer = new LinearProgram([1], [0], [1], isInteger: [true]);
        FluentActions.Invoking(() => new GlopSolver().Solve(integer)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("GlopSolver solves linear programs only; this one has integer variables. Use MixedIntegerSolver (or LinearProgramSolver.Solve). (Parameter 'problem')");
        // A generous limit changes nothing on a small program.
        new GlopSolver(30).Solve(s_infeasible).Status.Should().Be(LinearProgramStatus.Infeasible);
    }

    [Fact]
    public void Certificate_Verify_RecomputesTheGap()
    {
        new InfeasibilityCertificate([1], 1).Verify(s_infeasible).Should().Be(1);
        new InfeasibilityCertificate([2.5], 0).Verify(s_infeasible).Should().Be(2.5);
        new InfeasibilityCertificate([-1], 0).Verify(s_infeasible).Should().Be(double.NegativeInfinity, "a negative multiplier leans on the row's infinite upper bound");
        new InfeasibilityCertificate([1e-13], 0).Verify(s_infeasible).Should().Be(0, "a negligible multiplier counts as 0");
        FluentActions.Invoking(() => new InfeasibilityCertificate([1, 1], 0).Verify(s_infeasible)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Expected 1 multipliers; got 2.*");
    }

    [Fact]
    public void Certificate_Verify_UsesTheUpperSideAndTheLowerBoxEnd()
    {
        // x − y ≤ −3 with x, y ∈ [0, 2]: y = −1 gives −x + y ≥ 3 while the box gives −x + y ≤ 2.
        var problem = new LinearProgram([1, 1], [0, 0], [2, 2], [new LinearConstraint([0, 1], [1, -1], -Inf, -3)]);
        new InfeasibilityCertificate([-1], 0).Verify(problem).Should().Be(1);
        new InfeasibilityCertificate([1], 0).Verify(problem).Should().Be(double.NegativeInfinity);
        var open = new LinearProgram([1, 1], [0, 0], [2, Inf], [new LinearConstraint([0, 1], [1, -1], -Inf, -3)]);
        new InfeasibilityCertificate([-1], 0).Verify(open).Should().Be(double.NegativeInfinity, "Aᵀy leans on y's infinite upper bound");
    }

    [Fact]
    public void Certificate_Find_MeasuresTheViolation()
    {
        var settings = new SolverSettings(double.PositiveInfinity, 1, null);
        var (violation, certificate) = InfeasibilityCertificate.Find(s_infeasible, settings);
        violation.Should().BeApproximately(1, 1e-9);
        certificate!.Gap.Should().BeApproximately(1, 1e-9);
        certificate.RowMultipliers.Should().HaveCount(1);
        certificate.RowMultipliers[0].Should().BeGreaterThan(0);

        var feasible = new LinearProgram([1, 1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 1, Inf)]);
        var (none, noCertificate) = InfeasibilityCertificate.Find(feasible, settings);
        none.Should().BeApproximately(0, 1e-12);
        noCertificate.Should().BeNull();
    }

    [Fact]
    public void Certificate_Find_UpperSideRow_FlipsTheSign()
    {
        var problem = new LinearProgram([1, 1], [0, 0], [2, 2], [new LinearConstraint([0, 1], [1, -1], -Inf, -3)]);
        var (violation, certificate) = InfeasibilityCertificate.Find(problem, new SolverSettings(double.PositiveInfinity, 1, null));
        violation.Should().BeApproximately(1, 1e-9);
        certificate!.RowMultipliers[0].Should().BeLessThan(0);
        certificate.Gap.Should().BeApproximately(1, 1e-9);
        new GlopSolver().Solve(problem).Certificate!.Verify(problem).Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void MixedInteger_Settings_AreCheckedAndKept()
    {
        var solver = new MixedIntegerSolver();
        solver.Engine.Should().Be(MixedIntegerEngine.Automatic);
        solver.MaximumSeconds.Should().Be(double.PositiveInfinity);
        solver.NumberOfWorkers.Should().Be(1);
        solver.RandomSeed.Should().Be(0);
        var custom = new MixedIntegerSolver(MixedIntegerEngine.Scip, 3, 64, 5);
        (custom.Engine, custom.MaximumSeconds, custom.NumberOfWorkers, custom.RandomSeed).Should().Be((MixedIntegerEngine.Scip, 3.0, 64, 5));
        FluentActions.Invoking(() => new MixedIntegerSolver((MixedIntegerEngine)7)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Unknown engine 7. (Parameter 'engine')");
        FluentActions.Invoking(() => new MixedIntegerSolver(maximumSeconds: 0)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Must be > 0 (or +∞ for no limit); got 0. (Parameter 'maximumSeconds')");
        FluentActions.Invoking(() => new MixedIntegerSolver(numberOfWorkers: 65)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Must lie in [1, 64]; got 65. (Parameter 'numberOfWorkers')");
        FluentActions.Invoking(() => new MixedIntegerSolver(randomSeed: -2)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Must be ≥ 0; got -2. (Parameter 'randomSeed')");
        FluentActions.Invoking(() => solver.Solve(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void MixedInteger_Automatic_UsesCpSatOnlyForPureBoundedIntegerPrograms()
    {
        // The note of a non-optimal answer names the engine.
        var pure = new LinearProgram([1, 1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [2, 2], 1, 1)], isInteger: [true, true]);
        new MixedIntegerSolver().Solve(pure).Message.Should().Be("CP_SAT status INFEASIBLE.");
        var mixed = new LinearProgram([1, 1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [2, 2], 1, 1)], isInteger: [true, false]);
        var mixedResult = new MixedIntegerSolver().Solve(new LinearProgram(mixed.Objective, mixed.ColumnLower, mixed.ColumnUpper,
            [new LinearConstraint([0, 1], [1, 1], 3, 4)], mixed.IsInteger));
        mixedResult.Message.Should().Be("SCIP status INFEASIBLE.");
        var openLower = new LinearProgram([1, 1], [-Inf, 0], [1, 1], [new LinearConstraint([0, 1], [2, 2], 1, 1), new LinearConstraint([0], [1], 0, Inf)], isInteger: [true, true]);
        new MixedIntegerSolver().Solve(openLower).Message.Should().Be("SCIP status INFEASIBLE.");
        var openUpper = new LinearProgram([1, 1], [0, 0], [1, Inf], [new LinearConstraint([0, 1], [2, 2], 1, 1), new LinearConstraint([1], [1], -Inf, 1)], isInteger: [true, true]);
        new MixedIntegerSolver().Solve(openUpper).Message.Should().Be("SCIP status INFEASIBLE.");
        new MixedIntegerSolver(MixedIntegerEngine.Scip).Solve(pure).Message.Should().Be("SCIP status INFEASIBLE.");
    }

    [Fact]
    public void MixedInteger_CpSatRefusals_AreExact()
    {
        var cpSat = new MixedIntegerSolver(MixedIntegerEngine.CpSat);
        FluentActions.Invoking(() => cpSat.Solve(new LinearProgram([1, 1], [0, 0], [1, 1], isInteger: [true, false]))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The CP-SAT engine solves pure integer programs only; this one has continuous variables. Use MixedIntegerEngine.Scip. (Parameter 'problem')");
        FluentActions.Invoking(() => cpSat.Solve(new LinearProgram([1, 1], [0, -Inf], [1, 1], isInteger: [true, true]))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The CP-SAT engine needs finite bounds on every variable; variable 1 has [-Infinity, 1]. Use MixedIntegerEngine.Scip. (Parameter 'problem')");
        FluentActions.Invoking(() => cpSat.Solve(new LinearProgram([1], [0], [Inf], isInteger: [true]))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*variable 0 has [0, Infinity]*");
        // Automatic never refuses: it falls back on SCIP.
        new MixedIntegerSolver().Solve(new LinearProgram([1, 1], [0, -Inf], [1, 1], [new LinearConstraint([1], [1], -3, Inf)], isInteger: [true, false])).ObjectiveValue
            .Should().BeApproximately(-3, 1e-9);
    }

    [Fact]
    public void MixedInteger_EmptyRangeOrCancelledToken_StopBeforeTheEngine()
    {
        var crossedRow = new LinearProgram([1], [0], [1], [new LinearConstraint([0], [1], 2, 1)], isInteger: [true]);
        foreach (var engine in new[] { MixedIntegerEngine.Scip, MixedIntegerEngine.CpSat, MixedIntegerEngine.Automatic })
            new MixedIntegerSolver(engine).Solve(crossedRow).Message.Should().Be("Row 0 has an empty range [2, 1].");
        FluentActions.Invoking(() => new MixedIntegerSolver(MixedIntegerEngine.CpSat).Solve(crossedRow, new CancellationToken(canceled: true)))
            .Should().Throw<OperationCanceledException>();
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void MixedInteger_OptimalAnswer_IsSnappedAndItsObjectiveRecomputed(MixedIntegerEngine engine)
    {
        // max 0.1x + 0.2y s.t. x + y ≤ 3, x, y ∈ {0..2}: y = 2, x = 1 with 0.5 (0.1 + 0.4 in floating point).
        var problem = new LinearProgram([0.1, 0.2], [0, 0], [2, 2], [new LinearConstraint([0, 1], [1, 1], -Inf, 3)], isInteger: [true, true], sense: ObjectiveSense.Maximize);
        var result = new MixedIntegerSolver(engine).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Message.Should().BeNull();
        result.Solution.Should().Equal(1, 2);
        result.ObjectiveValue.Should().Be(0.1 * 1 + 0.2 * 2);
        result.Iterations.Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public void MixedInteger_TimeLimitNotes_SayWhatWasReturned()
    {
        var random = new Random(7);
        const int items = 30;
        var rows = Enumerable.Range(0, 4).Select(_ =>
        {
            var weights = Enumerable.Range(0, items).Select(_ => (double)random.Next(0, 100)).ToArray();
            double half = Math.Floor(weights.Sum() / 2);
            return new LinearConstraint(Enumerable.Range(0, items).ToArray(), weights, half, half);
        }).ToArray();
        var problem = new LinearProgram(Enumerable.Repeat(1.0, items).ToArray(), new double[items], Enumerable.Repeat(1.0, items).ToArray(),
            rows, Enumerable.Repeat(true, items).ToArray());
        var result = new MixedIntegerSolver(MixedIntegerEngine.Scip, maximumSeconds: 0.3).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Limit);
        result.Message.Should().Be("SCIP status NOT_SOLVED. No feasible solution was found within the limit.");
        double.IsNaN(result.ObjectiveValue).Should().BeTrue();

        var random8 = new Random(8);
        var w = Enumerable.Range(0, 60).Select(_ => (double)random8.Next(100000, 200000)).ToArray();
        var knapsack = Knapsack(w.Select(v => v + random8.Next(0, 3)).ToArray(), w, Math.Floor(w.Sum() / 2) + 0.5);
        var incumbent = new MixedIntegerSolver(MixedIntegerEngine.Scip, maximumSeconds: 0.3).Solve(knapsack);
        incumbent.Status.Should().Be(LinearProgramStatus.Limit);
        incumbent.Message.Should().Be("SCIP status FEASIBLE. The time limit stopped the search; the incumbent is returned.");
        incumbent.Solution.Should().OnlyContain(x => x == 0 || x == 1, "integer values are snapped exactly");
    }
}
