using System.Numerics;

namespace Rectifier.Operators;

/// <summary>Something to do with the unary operator of a piecewise-linear activation, whichever it is: the
/// operator arrives as a type argument, so each use is compiled (and the operator inlined) per activation.</summary>
internal interface IPiecewiseVisitor<T> where T : unmanaged
{
    void Visit<TOp>(TOp op) where TOp : struct, IUnaryOperator<T>;
}

/// <summary>The one map from an <see cref="Activation"/> of the piecewise-linear family to its forward operator, for
/// the passes that fuse the activation with other work (the bias forward, the monitor's forward that counts).
/// Float and double only: Half data is computed in float and rounded, which these operators in Half lanes would not
/// reproduce.</summary>
internal static class Piecewise
{
    /// <summary>Calls <paramref name="visitor"/> with <paramref name="a"/>'s operator and returns true, or returns
    /// false (without calling it) for a smooth or axis activation, or for an element type other than float and double.</summary>
    public static bool TryVisit<T, TVisitor>(Activation a, ref TVisitor visitor)
        where T : unmanaged, IFloatingPointIeee754<T> where TVisitor : struct, IPiecewiseVisitor<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            return false;
        }
        T first = T.CreateTruncating(a.First), second = T.CreateTruncating(a.Second);
        switch (a.Kind)
        {
            case ActivationKind.Relu: visitor.Visit(default(ReluOperator<T>)); return true;
            case ActivationKind.Relu6: visitor.Visit(new HardtanhOperator<T>(T.Zero, T.CreateTruncating(6))); return true;
            case ActivationKind.Hardtanh: visitor.Visit(new HardtanhOperator<T>(first, second)); return true;
            case ActivationKind.LeakyRelu or ActivationKind.PRelu: visitor.Visit(new LeakyReluOperator<T>(first)); return true;
            case ActivationKind.RRelu: visitor.Visit(new LeakyReluOperator<T>(T.CreateTruncating((a.First + a.Second) / 2))); return true;
            case ActivationKind.Threshold: visitor.Visit(new ThresholdOperator<T>(first, second)); return true;
            case ActivationKind.Hardshrink: visitor.Visit(new HardshrinkOperator<T>(first)); return true;
            case ActivationKind.Softshrink:
                if (SoftshrinkOperator<T>.ZeroesEverything(first))
                {
                    visitor.Visit(new HardshrinkOperator<T>(first));
                }
                else
                {
                    visitor.Visit(new SoftshrinkOperator<T>(first));
                }
                return true;
            default: return false;
        }
    }
}
