using System.Numerics;

namespace Rectifier.Operators;

/// <summary>Something to do with the forward operator of a piecewise-linear activation, whichever it is: the
/// operator arrives as a type argument, so each use is compiled (and the operator inlined) per activation.</summary>
internal interface IPiecewiseVisitor<T> where T : unmanaged
{
    /// <summary>Does the work with <paramref name="op"/>; returns true (so that a row can return what it returns).</summary>
    bool Visit<TOp>(TOp op) where TOp : struct, IUnaryOperator<T>;
}

/// <summary>The backward's counterpart of <see cref="IPiecewiseVisitor{T}"/>: the operator dx = f'(x)·g.</summary>
internal interface IPiecewiseBackwardVisitor<T> where T : unmanaged
{
    /// <summary>Does the work with <paramref name="op"/>; returns true.</summary>
    bool Visit<TOp>(TOp op) where TOp : struct, IBinaryOperator<T>;
}

/// <summary>From an <see cref="Activation"/> of the piecewise-linear family to its operators (each row of the
/// catalogue names its own), for the passes that fuse the activation with other work (the bias forward and backward,
/// the monitor's forward that counts). Float and double only: Half data is computed in float and rounded, which
/// these operators in Half lanes would not reproduce.</summary>
internal static class Piecewise
{
    /// <summary>Calls <paramref name="visitor"/> with <paramref name="a"/>'s forward operator and returns true, or
    /// returns false (without calling it) for a smooth or axis activation, or for an element type other than float and double.</summary>
    public static bool TryVisit<T, TVisitor>(Activation a, ref TVisitor visitor)
        where T : unmanaged, IFloatingPointIeee754<T> where TVisitor : struct, IPiecewiseVisitor<T>
        => (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && ActivationInfo.Of(a.Kind).VisitForward<T, TVisitor>(a, ref visitor);

    /// <summary>The backward's counterpart of <see cref="TryVisit{T, TVisitor}"/>.</summary>
    public static bool TryVisitBackward<T, TVisitor>(Activation a, ref TVisitor visitor)
        where T : unmanaged, IFloatingPointIeee754<T> where TVisitor : struct, IPiecewiseBackwardVisitor<T>
        => (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && ActivationInfo.Of(a.Kind).VisitBackward<T, TVisitor>(a, ref visitor);
}
