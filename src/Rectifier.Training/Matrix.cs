using System.Numerics.Tensors;

namespace Rectifier.Training;

/// <summary>The three matrix products of a dense layer, row-major, vectorised along the contiguous dimension with
/// TensorPrimitives (tested against a plain triple loop). Sizes here are small (≤ 1,000s), so blocking for cache
/// would not pay.</summary>
internal static class Matrix
{
    /// <summary>c[n×m] = a[n×k]·b[k×m].</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n, int k, int m)
    {
        c[..(n * m)].Clear();
        for (int i = 0; i < n; i++)
        {
            Span<double> row = c.Slice(i * m, m);
            for (int p = 0; p < k; p++)
            {
                double v = a[i * k + p];
                if (v != 0)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * m, m), v, row, row);
                }
            }
        }
    }

    /// <summary>c[k×m] = aᵀ·b for a[n×k], b[n×m] (weight gradient: inputsᵀ·gradients).</summary>
    public static void MultiplyTransposedLeft(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n, int k, int m)
    {
        c[..(k * m)].Clear();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> bRow = b.Slice(i * m, m);
            for (int p = 0; p < k; p++)
            {
                double v = a[i * k + p];
                if (v != 0)
                {
                    Span<double> row = c.Slice(p * m, m);
                    TensorPrimitives.MultiplyAdd(bRow, v, row, row);
                }
            }
        }
    }

    /// <summary>c[n×k] = a·bᵀ for a[n×m], b[k×m] (input gradient: gradients·weightsᵀ).</summary>
    public static void MultiplyTransposedRight(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n, int m, int k)
    {
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> aRow = a.Slice(i * m, m);
            for (int p = 0; p < k; p++)
            {
                c[i * k + p] = TensorPrimitives.Dot(aRow, b.Slice(p * m, m));
            }
        }
    }
}
