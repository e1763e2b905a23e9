using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Microsoft.ML.Recourse.Solvers.Coin;

/// <summary>
/// Cbc 2.10 C API (<c>coin/Cbc_C_Interface.h</c>), exported by <c>libCbcSolver</c> (not <c>libCbc</c>).
/// <c>Cbc_solve</c> is not thread-safe: callers serialise it (see <see cref="CbcSolver"/>).
/// </summary>
internal static unsafe partial class CbcNative
{
    private const string Lib = "CbcSolver";

    [LibraryImport(Lib)] public static partial nint Cbc_newModel();
    [LibraryImport(Lib)] public static partial void Cbc_deleteModel(nint model);
    [LibraryImport(Lib)] public static partial void Cbc_loadProblem(CbcModelHandle model, int numcols, int numrows,
        int* start, int* index, double* value, double* collb, double* colub, double* obj, double* rowlb, double* rowub);
    [LibraryImport(Lib)] public static partial void Cbc_setInteger(CbcModelHandle model, int iColumn);
    [LibraryImport(Lib)] public static partial void Cbc_setObjSense(CbcModelHandle model, double sense);
    [LibraryImport(Lib)] public static partial void Cbc_setLogLevel(CbcModelHandle model, int logLevel);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Cbc_setParameter(CbcModelHandle model, string name, string value);
    [LibraryImport(Lib)] public static partial int Cbc_solve(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial int Cbc_status(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial int Cbc_secondaryStatus(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial int Cbc_isProvenOptimal(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial int Cbc_isProvenInfeasible(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial int Cbc_isContinuousUnbounded(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial int Cbc_getNodeCount(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial double* Cbc_getColSolution(CbcModelHandle model);
    [LibraryImport(Lib)] public static partial double* Cbc_bestSolution(CbcModelHandle model);
}

/// <summary>Owns one <c>Cbc_Model</c>. A model is solved once and then discarded (the header forbids changes after a solve).</summary>
internal sealed class CbcModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CbcModelHandle()
        : base(ownsHandle: true)
    {
    }

    public static CbcModelHandle Create()
    {
        // Loads the library (or explains how to install it) before the first P/Invoke.
        CoinLibraryResolver.EnsureLoaded(CoinLibrary.Cbc);
        var handle = new CbcModelHandle();
        handle.SetHandle(CbcNative.Cbc_newModel());
        if (handle.IsInvalid)
            throw new InvalidOperationException("Cbc_newModel returned no model.");
        return handle;
    }

    protected override bool ReleaseHandle()
    {
        CbcNative.Cbc_deleteModel(handle);
        return true;
    }
}
