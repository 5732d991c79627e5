using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rectifier.Maths;

/// <summary>The operations the elementary functions are written in, over one lane type: a scalar
/// (<see cref="double"/>, <see cref="float"/>) or a Vector128/256/512 of them. Every function in <c>Math/</c> is
/// written once, generically over <c>TV</c> and its operations <c>O</c>; the JIT specialises and inlines it per
/// width. Each operation is exactly rounded and identical lane by lane at every width (fused multiply-add is
/// always fused; no estimates, no min/max with platform-specific NaN or −0 rules), so a result never depends on
/// the width that computed it.</summary>
/// <remarks>Masks are lanes of all ones or all zeros, held in <c>TV</c> itself. The integer operations
/// reinterpret lanes as 64-bit (double) or 32-bit (float) integers.</remarks>
internal interface ISimd<TV> where TV : struct
{
    /// <summary>True for double lanes, false for float lanes.</summary>
    static abstract bool IsDouble { get; }
    /// <summary>A constant in every lane (rounded to the lane type).</summary>
    static abstract TV C(double value);
    /// <summary>Raw bits in every lane (the low 32 bits for float lanes).</summary>
    static abstract TV Bits(long bits);
    static abstract TV Add(TV a, TV b);
    static abstract TV Sub(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Div(TV a, TV b);
    /// <summary>a·b + c, rounded once.</summary>
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract TV Abs(TV a);
    /// <summary><c>c &gt; x ? c : x</c>: a lower clamp that lets NaN in <paramref name="x"/> through (vmaxpd order).</summary>
    static abstract TV Max(TV c, TV x);
    /// <summary><c>c &lt; x ? c : x</c>: an upper clamp that lets NaN in <paramref name="x"/> through (vminpd order).</summary>
    static abstract TV Min(TV c, TV x);
    static abstract TV Neg(TV a);
    static abstract TV LessThan(TV a, TV b);
    static abstract TV LessThanOrEqual(TV a, TV b);
    static abstract TV GreaterThan(TV a, TV b);
    static abstract TV Equal(TV a, TV b);
    static abstract TV IsNaN(TV a);
    /// <summary>Lanes of <paramref name="a"/> where <paramref name="mask"/> is set, else of <paramref name="b"/>.</summary>
    static abstract TV Select(TV mask, TV a, TV b);
    static abstract TV And(TV a, TV b);
    static abstract TV Or(TV a, TV b);
    static abstract TV Xor(TV a, TV b);
    static abstract TV IntAdd(TV a, TV b);
    static abstract TV IntSub(TV a, TV b);
    static abstract TV ShiftLeft(TV a, int count);
    static abstract TV ShiftRightLogical(TV a, int count);
    /// <summary>True when any lane of the mask is set (lets a kernel skip a rare path for a whole vector).</summary>
    static abstract bool Any(TV mask);
}

/// <summary><see cref="ISimd{TV}"/> over Vector128 of double.</summary>
internal readonly struct D128 : ISimd<Vector128<double>>
{
    public static bool IsDouble => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> C(double value) => Vector128.Create((double)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Bits(long bits) => Vector128.Create(bits).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Sub(Vector128<double> a, Vector128<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Mul(Vector128<double> a, Vector128<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Div(Vector128<double> a, Vector128<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Fma(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Abs(Vector128<double> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Max(Vector128<double> c, Vector128<double> x) => Vector128.IsHardwareAccelerated ? Vector128.MaxNative(c, x) : Vector128.ConditionalSelect(Vector128.GreaterThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Min(Vector128<double> c, Vector128<double> x) => Vector128.IsHardwareAccelerated ? Vector128.MinNative(c, x) : Vector128.ConditionalSelect(Vector128.LessThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Neg(Vector128<double> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> LessThan(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> LessThanOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> GreaterThan(Vector128<double> a, Vector128<double> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Equal(Vector128<double> a, Vector128<double> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> IsNaN(Vector128<double> a) => ~Vector128.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Select(Vector128<double> mask, Vector128<double> a, Vector128<double> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> And(Vector128<double> a, Vector128<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Or(Vector128<double> a, Vector128<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Xor(Vector128<double> a, Vector128<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> IntAdd(Vector128<double> a, Vector128<double> b) => (a.AsInt64() + b.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> IntSub(Vector128<double> a, Vector128<double> b) => (a.AsInt64() - b.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> ShiftLeft(Vector128<double> a, int count) => Vector128.ShiftLeft(a.AsInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> ShiftRightLogical(Vector128<double> a, int count) => Vector128.ShiftRightLogical(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector128<double> mask) => mask != Vector128<double>.Zero;
}

/// <summary><see cref="ISimd{TV}"/> over Vector128 of float.</summary>
internal readonly struct F128 : ISimd<Vector128<float>>
{
    public static bool IsDouble => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> C(double value) => Vector128.Create((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Bits(long bits) => Vector128.Create((int)bits).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> c, Vector128<float> x) => Vector128.IsHardwareAccelerated ? Vector128.MaxNative(c, x) : Vector128.ConditionalSelect(Vector128.GreaterThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Min(Vector128<float> c, Vector128<float> x) => Vector128.IsHardwareAccelerated ? Vector128.MinNative(c, x) : Vector128.ConditionalSelect(Vector128.LessThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Neg(Vector128<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThan(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Equal(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> IsNaN(Vector128<float> a) => ~Vector128.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Xor(Vector128<float> a, Vector128<float> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> IntAdd(Vector128<float> a, Vector128<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> IntSub(Vector128<float> a, Vector128<float> b) => (a.AsInt32() - b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> ShiftLeft(Vector128<float> a, int count) => Vector128.ShiftLeft(a.AsInt32(), count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> ShiftRightLogical(Vector128<float> a, int count) => Vector128.ShiftRightLogical(a.AsUInt32(), count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector128<float> mask) => mask != Vector128<float>.Zero;
}

/// <summary><see cref="ISimd{TV}"/> over Vector256 of double.</summary>
internal readonly struct D256 : ISimd<Vector256<double>>
{
    public static bool IsDouble => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> C(double value) => Vector256.Create((double)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Bits(long bits) => Vector256.Create(bits).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Sub(Vector256<double> a, Vector256<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Mul(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Div(Vector256<double> a, Vector256<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Abs(Vector256<double> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Max(Vector256<double> c, Vector256<double> x) => Vector256.IsHardwareAccelerated ? Vector256.MaxNative(c, x) : Vector256.ConditionalSelect(Vector256.GreaterThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Min(Vector256<double> c, Vector256<double> x) => Vector256.IsHardwareAccelerated ? Vector256.MinNative(c, x) : Vector256.ConditionalSelect(Vector256.LessThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Neg(Vector256<double> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> LessThan(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> LessThanOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> GreaterThan(Vector256<double> a, Vector256<double> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Equal(Vector256<double> a, Vector256<double> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> IsNaN(Vector256<double> a) => ~Vector256.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Select(Vector256<double> mask, Vector256<double> a, Vector256<double> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Or(Vector256<double> a, Vector256<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Xor(Vector256<double> a, Vector256<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> IntAdd(Vector256<double> a, Vector256<double> b) => (a.AsInt64() + b.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> IntSub(Vector256<double> a, Vector256<double> b) => (a.AsInt64() - b.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> ShiftLeft(Vector256<double> a, int count) => Vector256.ShiftLeft(a.AsInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> ShiftRightLogical(Vector256<double> a, int count) => Vector256.ShiftRightLogical(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector256<double> mask) => mask != Vector256<double>.Zero;
}

/// <summary><see cref="ISimd{TV}"/> over Vector256 of float.</summary>
internal readonly struct F256 : ISimd<Vector256<float>>
{
    public static bool IsDouble => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> C(double value) => Vector256.Create((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Bits(long bits) => Vector256.Create((int)bits).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> c, Vector256<float> x) => Vector256.IsHardwareAccelerated ? Vector256.MaxNative(c, x) : Vector256.ConditionalSelect(Vector256.GreaterThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Min(Vector256<float> c, Vector256<float> x) => Vector256.IsHardwareAccelerated ? Vector256.MinNative(c, x) : Vector256.ConditionalSelect(Vector256.LessThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Neg(Vector256<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Equal(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> IsNaN(Vector256<float> a) => ~Vector256.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Xor(Vector256<float> a, Vector256<float> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> IntAdd(Vector256<float> a, Vector256<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> IntSub(Vector256<float> a, Vector256<float> b) => (a.AsInt32() - b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ShiftLeft(Vector256<float> a, int count) => Vector256.ShiftLeft(a.AsInt32(), count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ShiftRightLogical(Vector256<float> a, int count) => Vector256.ShiftRightLogical(a.AsUInt32(), count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector256<float> mask) => mask != Vector256<float>.Zero;
}

/// <summary><see cref="ISimd{TV}"/> over Vector512 of double.</summary>
internal readonly struct D512 : ISimd<Vector512<double>>
{
    public static bool IsDouble => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> C(double value) => Vector512.Create((double)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Bits(long bits) => Vector512.Create(bits).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sub(Vector512<double> a, Vector512<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Mul(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Div(Vector512<double> a, Vector512<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Fma(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Abs(Vector512<double> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Max(Vector512<double> c, Vector512<double> x) => Vector512.IsHardwareAccelerated ? Vector512.MaxNative(c, x) : Vector512.ConditionalSelect(Vector512.GreaterThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Min(Vector512<double> c, Vector512<double> x) => Vector512.IsHardwareAccelerated ? Vector512.MinNative(c, x) : Vector512.ConditionalSelect(Vector512.LessThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Neg(Vector512<double> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> LessThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> GreaterThan(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Equal(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> IsNaN(Vector512<double> a) => ~Vector512.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Select(Vector512<double> mask, Vector512<double> a, Vector512<double> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Or(Vector512<double> a, Vector512<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Xor(Vector512<double> a, Vector512<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> IntAdd(Vector512<double> a, Vector512<double> b) => (a.AsInt64() + b.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> IntSub(Vector512<double> a, Vector512<double> b) => (a.AsInt64() - b.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> ShiftLeft(Vector512<double> a, int count) => Vector512.ShiftLeft(a.AsInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> ShiftRightLogical(Vector512<double> a, int count) => Vector512.ShiftRightLogical(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector512<double> mask) => mask != Vector512<double>.Zero;
}

/// <summary><see cref="ISimd{TV}"/> over Vector512 of float.</summary>
internal readonly struct F512 : ISimd<Vector512<float>>
{
    public static bool IsDouble => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> C(double value) => Vector512.Create((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Bits(long bits) => Vector512.Create((int)bits).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> c, Vector512<float> x) => Vector512.IsHardwareAccelerated ? Vector512.MaxNative(c, x) : Vector512.ConditionalSelect(Vector512.GreaterThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Min(Vector512<float> c, Vector512<float> x) => Vector512.IsHardwareAccelerated ? Vector512.MinNative(c, x) : Vector512.ConditionalSelect(Vector512.LessThan(c, x), c, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Neg(Vector512<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThanOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.LessThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Equal(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> IsNaN(Vector512<float> a) => ~Vector512.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Xor(Vector512<float> a, Vector512<float> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> IntAdd(Vector512<float> a, Vector512<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> IntSub(Vector512<float> a, Vector512<float> b) => (a.AsInt32() - b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ShiftLeft(Vector512<float> a, int count) => Vector512.ShiftLeft(a.AsInt32(), count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ShiftRightLogical(Vector512<float> a, int count) => Vector512.ShiftRightLogical(a.AsUInt32(), count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector512<float> mask) => mask != Vector512<float>.Zero;
}

/// <summary><see cref="ISimd{TV}"/> over a single double: the scalar path, lane-identical to the vector ones.</summary>
internal readonly struct D1 : ISimd<double>
{
    private static double AllBits => BitConverter.Int64BitsToDouble(-1);

    public static bool IsDouble => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double C(double value) => (double)value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Bits(long bits) => BitConverter.Int64BitsToDouble(bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Add(double a, double b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sub(double a, double b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Mul(double a, double b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Div(double a, double b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Fma(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Abs(double a) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & long.MaxValue);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Max(double c, double x) => c > x ? c : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Min(double c, double x) => c < x ? c : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Neg(double a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double LessThan(double a, double b) => a < b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double LessThanOrEqual(double a, double b) => a <= b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GreaterThan(double a, double b) => a > b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Equal(double a, double b) => a == b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double IsNaN(double a) => double.IsNaN(a) ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Select(double mask, double a, double b) => BitConverter.DoubleToInt64Bits(mask) != 0 ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double And(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Or(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Xor(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) ^ BitConverter.DoubleToInt64Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double IntAdd(double a, double b) => BitConverter.Int64BitsToDouble(unchecked(BitConverter.DoubleToInt64Bits(a) + BitConverter.DoubleToInt64Bits(b)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double IntSub(double a, double b) => BitConverter.Int64BitsToDouble(unchecked(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ShiftLeft(double a, int count) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) << count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ShiftRightLogical(double a, int count) => BitConverter.Int64BitsToDouble((long)((ulong)BitConverter.DoubleToInt64Bits(a) >> count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(double mask) => BitConverter.DoubleToInt64Bits(mask) != 0;
}

/// <summary><see cref="ISimd{TV}"/> over a single float: the scalar path, lane-identical to the vector ones.</summary>
internal readonly struct F1 : ISimd<float>
{
    private static float AllBits => BitConverter.Int32BitsToSingle(-1);

    public static bool IsDouble => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float C(double value) => (float)value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Bits(long bits) => BitConverter.Int32BitsToSingle((int)bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sub(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Div(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Abs(float a) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & int.MaxValue);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float c, float x) => c > x ? c : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Min(float c, float x) => c < x ? c : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Neg(float a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LessThan(float a, float b) => a < b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LessThanOrEqual(float a, float b) => a <= b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GreaterThan(float a, float b) => a > b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Equal(float a, float b) => a == b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float IsNaN(float a) => float.IsNaN(a) ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Select(float mask, float a, float b) => BitConverter.SingleToInt32Bits(mask) != 0 ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float And(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Or(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Xor(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) ^ BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float IntAdd(float a, float b) => BitConverter.Int32BitsToSingle(unchecked(BitConverter.SingleToInt32Bits(a) + BitConverter.SingleToInt32Bits(b)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float IntSub(float a, float b) => BitConverter.Int32BitsToSingle(unchecked(BitConverter.SingleToInt32Bits(a) - BitConverter.SingleToInt32Bits(b)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float ShiftLeft(float a, int count) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) << count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float ShiftRightLogical(float a, int count) => BitConverter.Int32BitsToSingle((int)((uint)BitConverter.SingleToInt32Bits(a) >> count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(float mask) => BitConverter.SingleToInt32Bits(mask) != 0;
}
