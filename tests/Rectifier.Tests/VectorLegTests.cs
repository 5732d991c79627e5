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
        int expected = leg switch { "scalar" => 0, "noavx2" => 128, "noavx512" => 256, "default" when CpuHas("avx512f") => 512, _ => RuntimeInfo.VectorBits };
        Assert.Equal(expected, RuntimeInfo.VectorBits);
    }
}
