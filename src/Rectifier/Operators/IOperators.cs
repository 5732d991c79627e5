using System.Runtime.Intrinsics;

namespace Rectifier.Operators;

/// <summary>An element-wise function of one input. Operators never loop: the drivers in
/// <c>Kernels/</c> own iteration, tails, alignment, threads and validation.</summary>
/// <remarks>Every width must return, lane by lane, exactly what the scalar <c>Invoke</c> returns, so that
/// results never depend on length, alignment or vector width.</remarks>
internal interface IUnaryOperator<T> where T : unmanaged
{
    /// <summary>True for operators of a hundred instructions or more: the driver then runs them through a loop
    /// with a single call site, so the JIT inlines them whole (see ElementwiseDriver.RunHeavy).</summary>
    static virtual bool Heavy => false;

    T Invoke(T x);
    Vector128<T> Invoke(Vector128<T> x);
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>An element-wise function of two inputs (typically <c>(x, gradOutput) → gradInput</c>).</summary>
internal interface IBinaryOperator<T> where T : unmanaged
{
    /// <summary>True for operators of a hundred instructions or more: the driver then runs them through a loop
    /// with a single call site, so the JIT inlines them whole (see ElementwiseDriver.RunHeavy).</summary>
    static virtual bool Heavy => false;

    T Invoke(T x, T y);
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}

/// <summary>An element-wise function of three inputs (per-element weight or bias forms).</summary>
internal interface ITernaryOperator<T> where T : unmanaged
{
    /// <summary>True for operators of a hundred instructions or more: the driver then runs them through a loop
    /// with a single call site, so the JIT inlines them whole (see ElementwiseDriver.RunHeavy).</summary>
    static virtual bool Heavy => false;

    T Invoke(T x, T y, T z);
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> z);
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z);
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z);
}

/// <summary>x itself: the operator of a pass that only copies or only counts.</summary>
internal readonly struct IdentityOperator<T> : IUnaryOperator<T> where T : unmanaged
{
    public T Invoke(T x) => x;
    public Vector128<T> Invoke(Vector128<T> x) => x;
    public Vector256<T> Invoke(Vector256<T> x) => x;
    public Vector512<T> Invoke(Vector512<T> x) => x;
}
