using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Rectifier.Operators;

namespace Rectifier.Kernels;

/// <summary>The entry of every element-wise pass: validation (lengths, exact alias vs partial overlap), the element
/// type (float and double run natively; Half is widened to float, computed, and rounded once), non-temporal stores
/// past <see cref="NonTemporalThresholdBytes"/>, and the hand-off to <see cref="ParallelRunner"/>.</summary>
internal static unsafe class Elementwise
{
    /// <summary>Out-of-place passes whose footprint (all streams) is at least this large bypass the cache when
    /// storing: past the 32 MiB L3 the stores would only evict the inputs. Measured with
    /// bench/Rectifier.Benchmarks (thresholds), see docs/PERFORMANCE.md.</summary>
    public static long NonTemporalThresholdBytes { get; set; } = 40L * 1024 * 1024;

    public static void Unary<T, TF, TD>(ReadOnlySpan<T> x, Span<T> destination, TF f, TD d, string destinationName = "destination")
        where T : unmanaged where TF : struct, IUnaryOperator<float> where TD : struct, IUnaryOperator<double>
        => Unary(x, destination, f, d, default(NoHalfBits), destinationName);

    /// <summary>As above, with Half computed by <paramref name="h"/> on its 16-bit patterns (for operators that only
    /// compare and select, so no conversion is needed and Half runs at the speed of a copy); <see cref="NoHalfBits"/>
    /// widens Half to float instead.</summary>
    public static void Unary<T, TF, TD, TH>(ReadOnlySpan<T> x, Span<T> destination, TF f, TD d, TH h, string destinationName = "destination")
        where T : unmanaged where TF : struct, IUnaryOperator<float> where TD : struct, IUnaryOperator<double> where TH : struct, IUnaryOperator<ushort>
    {
        CheckDestination(x, destination, "x", destinationName);
        if (x.IsEmpty)
        {
            return;
        }
        fixed (T* px = x)
        fixed (T* pd = destination)
        {
            if (typeof(T) == typeof(float))
            {
                Execute((float*)pd, x.Length, 2, px == pd, new UnaryKernel<float, TF>((float*)px, f));
            }
            else if (typeof(T) == typeof(double))
            {
                Execute((double*)pd, x.Length, 2, px == pd, new UnaryKernel<double, TD>((double*)px, d));
            }
            else if (typeof(T) == typeof(Half) && typeof(TH) != typeof(NoHalfBits))
            {
                Execute((ushort*)pd, x.Length, 2, px == pd, new UnaryKernel<ushort, TH>((ushort*)px, h));
            }
            else if (typeof(T) == typeof(Half))
            {
                ExecuteHalf((Half*)pd, x.Length, 2, new UnaryKernel<float, TF>(null, f), (Half*)px, null);
            }
            else
            {
                ThrowHelper.NotSupportedType<T>();
            }
        }
    }

    public static void Binary<T, TF, TD>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TF f, TD d,
        string xName = "x", string yName = "gradOutput", string destinationName = "gradInput")
        where T : unmanaged where TF : struct, IBinaryOperator<float> where TD : struct, IBinaryOperator<double>
        => Binary(x, y, destination, f, d, default(NoHalfBits), xName, yName, destinationName);

    /// <summary>As above, with Half computed by <paramref name="h"/> on its 16-bit patterns.</summary>
    public static void Binary<T, TF, TD, TH>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TF f, TD d, TH h,
        string xName = "x", string yName = "gradOutput", string destinationName = "gradInput")
        where T : unmanaged where TF : struct, IBinaryOperator<float> where TD : struct, IBinaryOperator<double> where TH : struct, IBinaryOperator<ushort>
    {
        if (y.Length != x.Length)
        {
            ThrowHelper.LengthMismatch(yName, x.Length, y.Length);
        }
        CheckDestination(x, destination, xName, destinationName);
        CheckDestination(y, destination, yName, destinationName);
        if (x.IsEmpty)
        {
            return;
        }
        fixed (T* px = x)
        fixed (T* py = y)
        fixed (T* pd = destination)
        {
            bool inPlace = px == pd || py == pd;
            if (typeof(T) == typeof(float))
            {
                Execute((float*)pd, x.Length, 3, inPlace, new BinaryKernel<float, TF>((float*)px, (float*)py, f));
            }
            else if (typeof(T) == typeof(double))
            {
                Execute((double*)pd, x.Length, 3, inPlace, new BinaryKernel<double, TD>((double*)px, (double*)py, d));
            }
            else if (typeof(T) == typeof(Half) && typeof(TH) != typeof(NoHalfBits))
            {
                Execute((ushort*)pd, x.Length, 3, inPlace, new BinaryKernel<ushort, TH>((ushort*)px, (ushort*)py, h));
            }
            else if (typeof(T) == typeof(Half))
            {
                ExecuteHalf((Half*)pd, x.Length, 3, new BinaryKernel<float, TF>(null, null, f), (Half*)px, (Half*)py);
            }
            else
            {
                ThrowHelper.NotSupportedType<T>();
            }
        }
    }

    /// <summary>Destination at least as long as <paramref name="input"/>, and either the same memory or disjoint.</summary>
    public static void CheckDestination<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> destination, string inputName, string destinationName)
    {
        if (destination.Length < input.Length)
        {
            ThrowHelper.DestinationTooShort(destinationName);
        }
        if (input.Overlaps(destination, out int offset) && offset != 0)
        {
            ThrowHelper.PartialOverlap(destinationName, inputName);
        }
    }

    private static void Execute<T, TK>(T* dst, nint n, int streams, bool inPlace, TK kernel)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        bool nonTemporal = !inPlace && (long)n * streams * sizeof(T) >= NonTemporalThresholdBytes;
        ParallelRunner.For(n, streams * sizeof(T), new KernelBody<T, TK>(kernel, dst, nonTemporal));
    }

    private static void ExecuteHalf<TK>(Half* dst, nint n, int streams, TK kernel, Half* a, Half* b)
        where TK : struct, IElementKernel<float, TK>
        => ParallelRunner.For(n, streams * sizeof(Half), new HalfBody<TK>(kernel, a, b, dst));

    private readonly struct KernelBody<T, TK>(TK kernel, T* dst, bool nonTemporal) : IRangeBody
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        public void Run(nint start, nint end) => ElementwiseDriver.Run(kernel, dst, start, end, nonTemporal);
    }

    /// <summary>Half: widen a chunk of each input to float, run the float kernel, round once on the way out.</summary>
    private readonly struct HalfBody<TK>(TK kernel, Half* a, Half* b, Half* dst) : IRangeBody
        where TK : struct, IElementKernel<float, TK>
    {
        private const int Chunk = 1024;

        public void Run(nint start, nint end)
        {
            float* buffer = stackalloc float[3 * Chunk];
            float* fa = buffer, fb = buffer + Chunk, fy = buffer + 2 * Chunk;
            TK k = kernel.WithInputs(fa, fb, null);
            for (nint s = start; s < end; s += Chunk)
            {
                int len = (int)Math.Min(Chunk, end - s);
                Widen(a, s, fa, len);
                Widen(b, s, fb, len);
                ElementwiseDriver.Run(k, fy, 0, len, nonTemporal: false);
                TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(fy, len), new Span<Half>(dst + s, len));
            }
        }

        private static void Widen(Half* source, nint offset, float* target, int length)
        {
            if (source != null)
            {
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(source + offset, length), new Span<float>(target, length));
            }
        }
    }

    /// <summary>The marker for "no operator on Half's bit patterns": Half is widened to float and rounded back.</summary>
    public readonly struct NoHalfBits : IUnaryOperator<ushort>, IBinaryOperator<ushort>
    {
        public ushort Invoke(ushort x) => throw new NotSupportedException();
        public Vector128<ushort> Invoke(Vector128<ushort> x) => throw new NotSupportedException();
        public Vector256<ushort> Invoke(Vector256<ushort> x) => throw new NotSupportedException();
        public Vector512<ushort> Invoke(Vector512<ushort> x) => throw new NotSupportedException();
        public ushort Invoke(ushort x, ushort y) => throw new NotSupportedException();
        public Vector128<ushort> Invoke(Vector128<ushort> x, Vector128<ushort> y) => throw new NotSupportedException();
        public Vector256<ushort> Invoke(Vector256<ushort> x, Vector256<ushort> y) => throw new NotSupportedException();
        public Vector512<ushort> Invoke(Vector512<ushort> x, Vector512<ushort> y) => throw new NotSupportedException();
    }
}
