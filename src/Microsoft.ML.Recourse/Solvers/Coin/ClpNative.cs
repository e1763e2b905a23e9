using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Microsoft.ML.Recourse.Solvers.Coin;

/// <summary>Clp 1.17 C API (<c>coin/Clp_C_Interface.h</c>). <c>CoinBigIndex</c> is <c>int</c>; cdecl on x64/arm64.</summary>
internal static unsafe partial class ClpNative
{
    private const string Lib = "Clp";

    [LibraryImport(Lib)] public static partial nint Clp_newModel();
    [LibraryImport(Lib)] public static partial void Clp_deleteModel(nint model);
    [LibraryImport(Lib)] public static partial void Clp_setLogLevel(ClpModelHandle model, int value);
    [LibraryImport(Lib)] public static partial void Clp_loadProblem(ClpModelHandle model, int numcols, int numrows,
        int* start, int* index, double* value, double* collb, double* colub, double* obj, double* rowlb, double* rowub);
    [LibraryImport(Lib)] public static partial void Clp_setObjSense(ClpModelHandle model, double objsen);
    [LibraryImport(Lib)] public static partial void Clp_setMaximumIterations(ClpModelHandle model, int value);
    [LibraryImport(Lib)] public static partial void Clp_setMaximumSeconds(ClpModelHandle model, double value);
    [LibraryImport(Lib)] public static partial int Clp_dual(ClpModelHandle model, int ifValuesPass);
    [LibraryImport(Lib)] public static partial int Clp_primal(ClpModelHandle model, int ifValuesPass);
    [LibraryImport(Lib)] public static partial int Clp_status(ClpModelHandle model);
    [LibraryImport(Lib)] public static partial int Clp_secondaryStatus(ClpModelHandle model);
    [LibraryImport(Lib)] public static partial int Clp_numberIterations(ClpModelHandle model);
    [LibraryImport(Lib)] public static partial double* Clp_getColSolution(ClpModelHandle model);
    [LibraryImport(Lib)] public static partial double* Clp_getRowPrice(ClpModelHandle model);
}

/// <summary>Owns one <c>Clp_Simplex</c>; separate models may be solved on separate threads.</summary>
internal sealed class ClpModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClpModelHandle()
        : base(ownsHandle: true)
    {
    }

    public static ClpModelHandle Create()
    {
        // Loads the library (or explains how to install it) before the first P/Invoke.
        CoinLibraryResolver.EnsureLoaded(CoinLibrary.Clp);
        var handle = new ClpModelHandle();
        handle.SetHandle(ClpNative.Clp_newModel());
        if (handle.IsInvalid)
            throw new InvalidOperationException("Clp_newModel returned no model.");
        return handle;
    }

    protected override bool ReleaseHandle()
    {
        ClpNative.Clp_deleteModel(handle);
        return true;
    }
}
