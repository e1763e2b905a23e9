using Microsoft.ML.Recourse.Solvers.Coin;

namespace Microsoft.ML.Recourse.Tests.Solvers.Coin;

public class CoinLibraryResolverTests
{
    [Fact]
    public void EnsureLoaded_MissingLibrary_NamesTheLibraryTheFilesTriedAndThePackages()
    {
        // The real Clp entry with file names that exist nowhere: the same path a machine without Clp takes.
        var missing = CoinLibrary.Clp with { ImportName = "ClpMissingForTest", FileNames = ["libClpMissingForTest.so.1", "ClpMissingForTest.dll"] };

        CoinLibraryResolver.IsAvailable(missing).Should().BeFalse();
        var act = () => CoinLibraryResolver.EnsureLoaded(missing);
        act.Should().Throw<DllNotFoundException>()
            .WithMessage("The COIN-OR library 'ClpMissingForTest' could not be loaded (tried libClpMissingForTest.so.1*ClpMissingForTest.dll*")
            .Which.Message.Should().ContainAll("apt-get install coinor-libclp1", "brew install clp", "coin-or-clp", "vcpkg install coin-or-clp");
    }

    [Fact]
    public void InstallHints_NameThePackagesOfEachPlatform()
    {
        CoinLibrary.Clp.InstallHint.Should().ContainAll("coinor-libclp1", "brew install clp", "conda-forge coin-or-clp", "vcpkg install coin-or-clp");
        CoinLibrary.Cbc.InstallHint.Should().ContainAll("coinor-libcbc3", "brew install cbc", "conda-forge coin-or-cbc", "vcpkg install coin-or-cbc");
    }

    [Fact]
    public void CandidateFiles_StartWithTheDebianSonames()
    {
        CoinLibrary.Clp.FileNames[0].Should().Be("libClp.so.1");
        CoinLibrary.Cbc.FileNames[0].Should().Be("libCbcSolver.so.3");
    }
}
