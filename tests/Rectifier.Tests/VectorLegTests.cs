using System.Runtime.Intrinsics;

namespace Rectifier.Tests;

/// <summary>CI runs the suite under four settings of the JIT; this test fails loudly if a knob is misnamed or ignored,
/// so that each leg really exercises the width it claims to.</summary>
public sealed class VectorLegTests
{
    private static bool Disabled(string knob) => Environment.GetEnvironmentVariable(knob) == "0";

    private static bool CpuHas(string flag)
    {
        const string path = "/proc/cpuinfo";
        return File.Exists(path) && File.ReadLines(path).Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains(flag));
    }

    [Fact]
    public void The_accelerated_vector_widths_match_the_leg()
    {
        bool scalar = Disabled("DOTNET_EnableHWIntrinsic");
        bool noAvx2 = scalar || Disabled("DOTNET_EnableAVX2") || Disabled("DOTNET_EnableAVX");
        bool noAvx512 = noAvx2 || Disabled("DOTNET_EnableAVX512");
        if (scalar)
        {
            Assert.False(Vector128.IsHardwareAccelerated);
            Assert.Equal(0, RuntimeInfo.VectorBits);
        }
        if (noAvx2)
        {
            Assert.False(Vector256.IsHardwareAccelerated);
        }
        if (noAvx512)
        {
            Assert.False(Vector512.IsHardwareAccelerated);
        }
        if (!scalar && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.True(Vector128.IsHardwareAccelerated);
            if (!noAvx2 && CpuHas("avx2"))
            {
                Assert.True(Vector256.IsHardwareAccelerated);
            }
            if (!noAvx512 && CpuHas("avx512f") && Environment.GetEnvironmentVariable("DOTNET_PreferredVectorBitWidth") is null)
            {
                Assert.True(Vector512.IsHardwareAccelerated);
            }
        }
        string leg = Environment.GetEnvironmentVariable("RECTIFIER_TEST_LEG") ?? "";
        Assert.Equal(ExpectedBits(leg, CpuHas), RuntimeInfo.VectorBits);
    }

    /// <summary>The width a leg should run at, from the leg's name and the processor's flags alone (never from the
    /// runtime's own answer, which is what is being checked). Outside CI (no leg named) the environment's knobs and
    /// the flags decide the same way.</summary>
    internal static int ExpectedBits(string leg, Func<string, bool> cpuHas)
    {
        bool arm = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64;
        int widest = arm ? 128 : cpuHas("avx512f") && Environment.GetEnvironmentVariable("DOTNET_PreferredVectorBitWidth") is null ? 512 : cpuHas("avx2") ? 256 : 128;
        if (leg.Length == 0)
        {
            leg = Disabled("DOTNET_EnableHWIntrinsic") ? "scalar" : Disabled("DOTNET_EnableAVX2") || Disabled("DOTNET_EnableAVX") ? "noavx2" : Disabled("DOTNET_EnableAVX512") ? "noavx512" : "default";
        }
        return leg switch
        {
            "scalar" => 0,
            "noavx2" => Math.Min(widest, 128),
            "noavx512" => Math.Min(widest, 256),
            "default" => widest,
            _ => throw new ArgumentException($"unknown leg '{leg}'", nameof(leg)),
        };
    }

    [Fact]
    public void The_expected_width_comes_from_the_flags_not_from_the_runtime()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            return;
        }
        Assert.Equal(256, ExpectedBits("default", f => f == "avx2"));
        Assert.Equal(128, ExpectedBits("default", _ => false));
        Assert.Equal(256, ExpectedBits("noavx512", f => f is "avx2" or "avx512f"));
        Assert.Equal(128, ExpectedBits("noavx2", f => f is "avx2" or "avx512f"));
        Assert.Equal(0, ExpectedBits("scalar", _ => true));
    }
}
