using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Recourse.Solvers.Coin;

/// <summary>A COIN-OR native library: the name used in <c>[LibraryImport]</c>, the files to try, and how to install it.</summary>
/// <param name="ImportName">The library name in the <c>LibraryImport</c> attributes.</param>
/// <param name="FileNames">File names (or absolute paths) tried in order.</param>
/// <param name="InstallHint">How to install the library on each platform.</param>
internal sealed record CoinLibrary(string ImportName, IReadOnlyList<string> FileNames, string InstallHint)
{
    public static readonly CoinLibrary Clp = new(
        "Clp",
        ["libClp.so.1", "libClp.so", "libClp.dylib", "libClp.1.dylib",
         "/opt/homebrew/lib/libClp.dylib", "/usr/local/lib/libClp.dylib", "Clp.dll", "libClp.dll", "libClp-1.dll"],
        "Install COIN-OR Clp: Debian/Ubuntu 'sudo apt-get install coinor-libclp1', macOS 'brew install clp', " +
        "conda 'conda install -c conda-forge coin-or-clp', Windows 'vcpkg install coin-or-clp'.");

    public static readonly CoinLibrary Cbc = new(
        "CbcSolver",
        ["libCbcSolver.so.3", "libCbcSolver.so", "libCbcSolver.dylib", "libCbcSolver.3.dylib",
         "/opt/homebrew/lib/libCbcSolver.dylib", "/usr/local/lib/libCbcSolver.dylib", "CbcSolver.dll", "libCbcSolver.dll", "libCbcSolver-3.dll"],
        "Install COIN-OR Cbc: Debian/Ubuntu 'sudo apt-get install coinor-libcbc3', macOS 'brew install cbc', " +
        "conda 'conda install -c conda-forge coin-or-cbc', Windows 'vcpkg install coin-or-cbc'.");
}

/// <summary>
/// Loads the COIN-OR libraries. Runtime packages ship only versioned sonames (<c>libClp.so.1</c>), so the assembly's
/// single <see cref="NativeLibrary.SetDllImportResolver"/> maps the import names to the first file that loads.
/// Every native model is created through <see cref="EnsureLoaded"/> first (<c>ClpModelHandle.Create</c>, <c>CbcModelHandle.Create</c>),
/// so a missing library surfaces as a <see cref="DllNotFoundException"/> naming the library and the package to install.
/// </summary>
internal static class CoinLibraryResolver
{
    private static readonly ConcurrentDictionary<string, Lazy<nint>> s_handles = new();
    private static readonly Dictionary<string, CoinLibrary> s_known = new()
    {
        [CoinLibrary.Clp.ImportName] = CoinLibrary.Clp,
        [CoinLibrary.Cbc.ImportName] = CoinLibrary.Cbc,
    };

    static CoinLibraryResolver()
        => NativeLibrary.SetDllImportResolver(typeof(CoinLibraryResolver).Assembly, Resolve);

    /// <summary>Returns whether <paramref name="library"/> loads (the probe is cached).</summary>
    public static bool IsAvailable(CoinLibrary library) => Handle(library) != 0;

    /// <summary>Loads <paramref name="library"/> or throws a <see cref="DllNotFoundException"/> saying what to install.</summary>
    public static void EnsureLoaded(CoinLibrary library)
    {
        if (Handle(library) == 0)
            throw new DllNotFoundException(
                $"The COIN-OR library '{library.ImportName}' could not be loaded (tried {string.Join(", ", CandidatePaths(library))}). {library.InstallHint}");
    }

    private static nint Handle(CoinLibrary library)
        => s_handles.GetOrAdd(library.ImportName, _ => new Lazy<nint>(() => Load(library))).Value;

    private static nint Load(CoinLibrary library)
    {
        foreach (string candidate in CandidatePaths(library))
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle))
                return handle;
        }
        return 0;
    }

    // A conda environment's library folder is not on the loader's search path unless the environment is activated
    // in a way that sets it, so try it explicitly.
    private static IEnumerable<string> CandidatePaths(CoinLibrary library)
    {
        string? condaPrefix = Environment.GetEnvironmentVariable("CONDA_PREFIX");
        foreach (string file in library.FileNames)
        {
            yield return file;
            if (!string.IsNullOrEmpty(condaPrefix) && !Path.IsPathRooted(file))
            {
                yield return Path.Combine(condaPrefix, "lib", file);
                yield return Path.Combine(condaPrefix, "Library", "bin", file);
            }
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => s_known.TryGetValue(libraryName, out var library) ? Handle(library) : 0;
}
