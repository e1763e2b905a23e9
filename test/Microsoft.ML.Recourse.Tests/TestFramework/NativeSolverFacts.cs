using Microsoft.ML.Recourse.Solvers.Coin;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>Skip reasons shown by the test runner when a COIN-OR library cannot be loaded.</summary>
internal static class NativeSolverSkip
{
    public static string? Clp => ClpSolver.IsAvailable ? null :
        "COIN-OR Clp is not installed (Debian/Ubuntu: apt-get install coinor-libclp1; macOS: brew install clp; conda: coin-or-clp).";

    public static string? Cbc => CbcSolver.IsAvailable ? null :
        "COIN-OR Cbc is not installed (Debian/Ubuntu: apt-get install coinor-libcbc3; macOS: brew install cbc; conda: coin-or-cbc).";
}

/// <summary>A fact that needs the native Clp library; skipped with a visible reason when it cannot be loaded.</summary>
public sealed class ClpFactAttribute : FactAttribute
{
    public ClpFactAttribute() => Skip = NativeSolverSkip.Clp;
}

/// <summary>A theory that needs the native Clp library; skipped with a visible reason when it cannot be loaded.</summary>
public sealed class ClpTheoryAttribute : TheoryAttribute
{
    public ClpTheoryAttribute() => Skip = NativeSolverSkip.Clp;
}

/// <summary>A fact that needs the native Cbc library; skipped with a visible reason when it cannot be loaded.</summary>
public sealed class CbcFactAttribute : FactAttribute
{
    public CbcFactAttribute() => Skip = NativeSolverSkip.Cbc;
}

/// <summary>A theory that needs the native Cbc library; skipped with a visible reason when it cannot be loaded.</summary>
public sealed class CbcTheoryAttribute : TheoryAttribute
{
    public CbcTheoryAttribute() => Skip = NativeSolverSkip.Cbc;
}
