using System.Runtime.Intrinsics;

namespace Rectifier;

/// <summary>What the kernels will use on this machine and in this process.</summary>
public static class RuntimeInfo
{
    /// <summary>The widest accelerated vector in bits (512, 256 or 128), or 0 when only scalar code runs.</summary>
    public static int VectorBits =>
        Vector512.IsHardwareAccelerated ? 512 :
        Vector256.IsHardwareAccelerated ? 256 :
        Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <summary>A readable name of the active path, e.g. "512-bit vectors (AVX-512)".</summary>
    public static string VectorDescription => VectorBits switch
    {
        512 => "512-bit vectors (AVX-512)",
        256 => System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "256-bit vectors (AVX2)" : "256-bit vectors",
        128 => System.Runtime.Intrinsics.X86.Sse2.IsSupported ? "128-bit vectors (SSE)" :
               System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "128-bit vectors (Arm NEON)" : "128-bit vectors",
        _ => "scalar (no hardware vectors)",
    };
}
