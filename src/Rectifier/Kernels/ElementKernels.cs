using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Rectifier.Operators;

namespace Rectifier.Kernels;

/// <summary>The inputs of one element-wise pass bound to an operator: "the value at index i", at every width.
/// <see cref="ElementwiseDriver"/> owns the loop; a kernel only loads and applies.</summary>
internal unsafe interface IElementKernel<T, TSelf> where T : unmanaged where TSelf : struct, IElementKernel<T, TSelf>
{
    T At(nint i);
    Vector128<T> At128(nint i);
    Vector256<T> At256(nint i);
    Vector512<T> At512(nint i);

    /// <summary>Whether the operator is heavy (see <see cref="IUnaryOperator{T}.Heavy"/>).</summary>
    static abstract bool Heavy { get; }

    /// <summary>The same operator over other input buffers (used to run Half data through float buffers).</summary>
    TSelf WithInputs(T* a, T* b, T* c);
}

internal readonly unsafe struct UnaryKernel<T, TOp>(T* x, TOp op) : IElementKernel<T, UnaryKernel<T, TOp>>
    where T : unmanaged where TOp : struct, IUnaryOperator<T>
{
    public static bool Heavy => TOp.Heavy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T At(nint i) => op.Invoke(x[i]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<T> At128(nint i) => op.Invoke(Vector128.Load(x + i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> At256(nint i) => op.Invoke(Vector256.Load(x + i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> At512(nint i) => op.Invoke(Vector512.Load(x + i));
    public UnaryKernel<T, TOp> WithInputs(T* a, T* b, T* c) => new(a, op);
}

internal readonly unsafe struct BinaryKernel<T, TOp>(T* x, T* y, TOp op) : IElementKernel<T, BinaryKernel<T, TOp>>
    where T : unmanaged where TOp : struct, IBinaryOperator<T>
{
    public static bool Heavy => TOp.Heavy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T At(nint i) => op.Invoke(x[i], y[i]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<T> At128(nint i) => op.Invoke(Vector128.Load(x + i), Vector128.Load(y + i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> At256(nint i) => op.Invoke(Vector256.Load(x + i), Vector256.Load(y + i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> At512(nint i) => op.Invoke(Vector512.Load(x + i), Vector512.Load(y + i));
    public BinaryKernel<T, TOp> WithInputs(T* a, T* b, T* c) => new(a, b, op);
}

internal readonly unsafe struct TernaryKernel<T, TOp>(T* x, T* y, T* z, TOp op) : IElementKernel<T, TernaryKernel<T, TOp>>
    where T : unmanaged where TOp : struct, ITernaryOperator<T>
{
    public static bool Heavy => TOp.Heavy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T At(nint i) => op.Invoke(x[i], y[i], z[i]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<T> At128(nint i) => op.Invoke(Vector128.Load(x + i), Vector128.Load(y + i), Vector128.Load(z + i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> At256(nint i) => op.Invoke(Vector256.Load(x + i), Vector256.Load(y + i), Vector256.Load(z + i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> At512(nint i) => op.Invoke(Vector512.Load(x + i), Vector512.Load(y + i), Vector512.Load(z + i));
    public TernaryKernel<T, TOp> WithInputs(T* a, T* b, T* c) => new(a, b, c, op);
}
