using System.Numerics;
using System.Runtime.Intrinsics;
using Rectifier.Operators;

namespace Rectifier.Tests;

/// <summary>Each operator's Vector128/256/512 Invoke against its scalar Invoke, lane by lane. Widths this machine
/// does not accelerate still run (in software), so every path is checked on every leg.</summary>
public sealed class OperatorLaneTests
{
    internal static void CheckUnary<T, TOp>(TOp op, int seed) where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T>
    {
        T[] data = Numbers.Random<T>(4096, seed, 0.2);
        for (int i = 0; i + Vector512<T>.Count <= data.Length; i += Vector512<T>.Count)
        {
            var v512 = op.Invoke(Vector512.Create<T>(data.AsSpan(i)));
            var v256 = op.Invoke(Vector256.Create<T>(data.AsSpan(i)));
            var v128 = op.Invoke(Vector128.Create<T>(data.AsSpan(i)));
            for (int lane = 0; lane < Vector512<T>.Count; lane++)
            {
                T expected = op.Invoke(data[i + lane]);
                Assert.True(Numbers.Same(v512[lane], expected), $"{typeof(TOp).Name} 512 lane {lane}: {data[i + lane]}");
                if (lane < Vector256<T>.Count)
                {
                    Assert.True(Numbers.Same(v256[lane], expected), $"{typeof(TOp).Name} 256 lane {lane}: {data[i + lane]}");
                }
                if (lane < Vector128<T>.Count)
                {
                    Assert.True(Numbers.Same(v128[lane], expected), $"{typeof(TOp).Name} 128 lane {lane}: {data[i + lane]}");
                }
            }
        }
    }

    internal static void CheckBinary<T, TOp>(TOp op, int seed) where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOperator<T>
    {
        T[] a = Numbers.Random<T>(4096, seed, 0.2), b = Numbers.Random<T>(4096, seed + 1, 0.2);
        for (int i = 0; i + Vector512<T>.Count <= a.Length; i += Vector512<T>.Count)
        {
            var v512 = op.Invoke(Vector512.Create<T>(a.AsSpan(i)), Vector512.Create<T>(b.AsSpan(i)));
            var v256 = op.Invoke(Vector256.Create<T>(a.AsSpan(i)), Vector256.Create<T>(b.AsSpan(i)));
            var v128 = op.Invoke(Vector128.Create<T>(a.AsSpan(i)), Vector128.Create<T>(b.AsSpan(i)));
            for (int lane = 0; lane < Vector512<T>.Count; lane++)
            {
                T expected = op.Invoke(a[i + lane], b[i + lane]);
                Assert.True(Numbers.Same(v512[lane], expected), $"{typeof(TOp).Name} 512 lane {lane}");
                Assert.True(lane >= Vector256<T>.Count || Numbers.Same(v256[lane], expected), $"{typeof(TOp).Name} 256 lane {lane}");
                Assert.True(lane >= Vector128<T>.Count || Numbers.Same(v128[lane], expected), $"{typeof(TOp).Name} 128 lane {lane}");
            }
        }
    }

    internal static void CheckTernary<T, TOp>(TOp op, int seed) where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, ITernaryOperator<T>
    {
        T[] a = Numbers.Random<T>(2048, seed, 0.2), b = Numbers.Random<T>(2048, seed + 1, 0.2), c = Numbers.Random<T>(2048, seed + 2, 0.2);
        for (int i = 0; i + Vector512<T>.Count <= a.Length; i += Vector512<T>.Count)
        {
            var v512 = op.Invoke(Vector512.Create<T>(a.AsSpan(i)), Vector512.Create<T>(b.AsSpan(i)), Vector512.Create<T>(c.AsSpan(i)));
            var v256 = op.Invoke(Vector256.Create<T>(a.AsSpan(i)), Vector256.Create<T>(b.AsSpan(i)), Vector256.Create<T>(c.AsSpan(i)));
            var v128 = op.Invoke(Vector128.Create<T>(a.AsSpan(i)), Vector128.Create<T>(b.AsSpan(i)), Vector128.Create<T>(c.AsSpan(i)));
            for (int lane = 0; lane < Vector512<T>.Count; lane++)
            {
                T expected = op.Invoke(a[i + lane], b[i + lane], c[i + lane]);
                Assert.True(Numbers.Same(v512[lane], expected), $"{typeof(TOp).Name} 512 lane {lane}");
                Assert.True(lane >= Vector256<T>.Count || Numbers.Same(v256[lane], expected), $"{typeof(TOp).Name} 256 lane {lane}");
                Assert.True(lane >= Vector128<T>.Count || Numbers.Same(v128[lane], expected), $"{typeof(TOp).Name} 128 lane {lane}");
            }
        }
    }

    private static void AllOperators<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckUnary<T, ReluOperator<T>>(default, 1);
        CheckBinary<T, ReluBackwardOperator<T>>(default, 2);
        CheckUnary<T, ThresholdOperator<T>>(new(T.CreateTruncating(0.5), T.CreateTruncating(-2)), 3);
        CheckBinary<T, ThresholdBackwardOperator<T>>(new(T.CreateTruncating(0.5)), 4);
        CheckUnary<T, LeakyReluOperator<T>>(new(T.CreateTruncating(0.01)), 5);
        CheckBinary<T, LeakyReluBackwardOperator<T>>(new(T.CreateTruncating(0.01)), 6);
        CheckBinary<T, PReluPatternOperator<T>>(default, 7);
        CheckTernary<T, PReluPatternBackwardOperator<T>>(default, 8);
        CheckBinary<T, MultiplyOperator<T>>(default, 9);
        CheckUnary<T, HardtanhOperator<T>>(new(T.Zero, T.CreateTruncating(6)), 10);
        CheckBinary<T, HardtanhBackwardOperator<T>>(new(T.NegativeOne, T.One), 11);
    }

    [Fact]
    public void Every_piecewise_operator_agrees_with_its_scalar_form_in_every_lane_for_float() => AllOperators<float>();

    [Fact]
    public void Every_piecewise_operator_agrees_with_its_scalar_form_in_every_lane_for_double() => AllOperators<double>();
}
