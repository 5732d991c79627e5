using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rectifier.Kernels;

/// <summary>An element-wise computation over contiguous spans: one input (<c>b</c> empty) or two, and an
/// output that may be the first input itself.</summary>
internal interface ISpanKernel<T>
{
    void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination);
}

/// <summary>Walks element-wise computations over tensor views (System.Numerics.Tensors spans, strided or dense):
/// <list type="bullet">
/// <item>a dense view is one span and goes through the span path whole (its threads, its streaming stores);</item>
/// <item>a view whose operands share a contiguous dimension of at least <see cref="MinRun"/> elements is walked as
/// those inner runs, the runs shared among the cores;</item>
/// <item>any other view (transposed, every other element, short rows) is walked in tiles of
/// <see cref="TileElements"/> elements: each operand's tile is gathered into a buffer in the destination's order
/// (a small transpose when their contiguous dimensions differ), computed there as one span and stored back.</item>
/// </list>
/// Every element is computed by the same span kernel whatever the path, and element-wise kernels do not depend on
/// length or position, so a strided view gives the bits of the dense one.</summary>
internal static unsafe class TensorWalk
{
    /// <summary>Elements of one tile (16 KB of float): two tiles and the destination's lines stay in L1.</summary>
    public const int TileElements = 4096;

    /// <summary>Shortest contiguous run walked as a span of its own; shorter rows are gathered into tiles.</summary>
    public const int MinRun = 256;

    /// <summary>Side of a square tile when the operands' contiguous dimensions differ (a transpose).</summary>
    private const int TileSide = 64;

    /// <summary>A view after dimensions of length 1 are dropped and dimensions that are contiguous with the next one
    /// in every operand are merged: <c>Lengths[k]</c> and, per operand, <c>Strides[k]</c> (in elements).</summary>
    private sealed class Layout
    {
        public required nint[] Lengths;
        public required nint[] StridesA;
        public required nint[] StridesB;
        public required nint[] StridesD;
        public int Rank => Lengths.Length;
    }

    /// <summary>d = kernel(a[, b]) element by element over views of one shape. <paramref name="binary"/> says whether
    /// <paramref name="b"/> is an operand. The destination may be an input exactly (the same memory, the same
    /// strides); any other overlap with an input, a broadcast (zero-stride) destination or differing shapes are an
    /// ArgumentException naming the parameter.</summary>
    public static void Run<T, TKernel>(in ReadOnlyTensorSpan<T> a, in ReadOnlyTensorSpan<T> b, bool binary, in TensorSpan<T> d, TKernel kernel,
        string aName, string bName, string dName) where T : unmanaged where TKernel : struct, ISpanKernel<T>
    {
        CheckShapes(a.Lengths, d.Lengths, aName, dName);
        if (binary)
        {
            CheckShapes(b.Lengths, d.Lengths, bName, dName);
        }
        if (d.FlattenedLength == 0)
        {
            return;
        }
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pd = d)
        {
            Layout layout = Coalesce(d.Lengths, a.Strides, binary ? b.Strides : a.Strides, d.Strides);
            CheckDestination(layout, layout.StridesD, dName);
            CheckOverlap(layout, pa, layout.StridesA, pd, layout.StridesD, aName, dName);
            if (binary)
            {
                CheckOverlap(layout, pb, layout.StridesB, pd, layout.StridesD, bName, dName);
            }
            Execute(layout, pa, binary ? pb : null, pd, kernel);
        }
    }

    /// <summary>The shape of a view as "[2, 3, 4]", for error messages.</summary>
    public static string Format(ReadOnlySpan<nint> lengths)
        => "[" + string.Join(", ", lengths.ToArray().Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    /// <summary>Throws when two views do not have the same shape.</summary>
    public static void CheckShapes(ReadOnlySpan<nint> input, ReadOnlySpan<nint> other, string inputName, string otherName)
    {
        if (!input.SequenceEqual(other))
        {
            ThrowHelper.Argument(otherName, $"'{otherName}' has shape {Format(other)} but '{inputName}' has shape {Format(input)}: they must have the same shape.");
        }
    }

    /// <summary>Whether a view covers one contiguous span in C order (dimensions of length 1 may have any stride).</summary>
    public static bool IsContiguous(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        nint expected = 1;
        for (int k = lengths.Length - 1; k >= 0; k--)
        {
            if (lengths[k] == 1)
            {
                continue;
            }
            if (strides[k] != expected)
            {
                return false;
            }
            expected *= lengths[k];
        }
        return true;
    }

    /// <summary>Refuses a destination that partially overlaps an input (exact aliases pass), for the paths that
    /// stage a view through a dense buffer.</summary>
    public static void CheckViews<T>(in ReadOnlyTensorSpan<T> input, in TensorSpan<T> destination, string inputName, string destinationName) where T : unmanaged
    {
        CheckShapes(input.Lengths, destination.Lengths, inputName, destinationName);
        if (destination.FlattenedLength == 0)
        {
            return;
        }
        fixed (T* pa = input)
        fixed (T* pd = destination)
        {
            Layout layout = Coalesce(destination.Lengths, input.Strides, input.Strides, destination.Strides);
            CheckDestination(layout, layout.StridesD, destinationName);
            CheckOverlap(layout, pa, layout.StridesA, pd, layout.StridesD, inputName, destinationName);
        }
    }

    private static Layout Coalesce(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> sa, ReadOnlySpan<nint> sb, ReadOnlySpan<nint> sd)
    {
        var l = new List<nint>(lengths.Length);
        var a = new List<nint>(lengths.Length);
        var b = new List<nint>(lengths.Length);
        var d = new List<nint>(lengths.Length);
        for (int k = 0; k < lengths.Length; k++)
        {
            if (lengths[k] == 1)
            {
                continue;
            }
            int last = l.Count - 1;
            if (last >= 0 && a[last] == sa[k] * lengths[k] && b[last] == sb[k] * lengths[k] && d[last] == sd[k] * lengths[k])
            {
                l[last] *= lengths[k];
                a[last] = sa[k];
                b[last] = sb[k];
                d[last] = sd[k];
                continue;
            }
            l.Add(lengths[k]);
            a.Add(sa[k]);
            b.Add(sb[k]);
            d.Add(sd[k]);
        }
        if (l.Count == 0)
        {
            l.Add(1);
            a.Add(1);
            b.Add(1);
            d.Add(1);
        }
        return new Layout { Lengths = [.. l], StridesA = [.. a], StridesB = [.. b], StridesD = [.. d] };
    }

    private static void CheckDestination(Layout layout, nint[] strides, string name)
    {
        for (int k = 0; k < layout.Rank; k++)
        {
            if (strides[k] == 0 && layout.Lengths[k] > 1)
            {
                ThrowHelper.Argument(name, $"'{name}' is a broadcast view (stride 0 along a dimension of length {layout.Lengths[k]}): an element would be written more than once.");
            }
        }
    }

    private static void CheckOverlap<T>(Layout layout, T* pa, nint[] sa, T* pd, nint[] sd, string aName, string dName) where T : unmanaged
    {
        if (pa == pd && sa.AsSpan().SequenceEqual(sd))
        {
            return;   // the same view: in place
        }
        Extent(layout, pa, sa, out T* aLo, out T* aHi);
        Extent(layout, pd, sd, out T* dLo, out T* dHi);
        if (aLo <= dHi && dLo <= aHi)
        {
            ThrowHelper.PartialOverlap(dName, aName);
        }
    }

    private static void Extent<T>(Layout layout, T* p, nint[] strides, out T* lo, out T* hi) where T : unmanaged
    {
        lo = p;
        hi = p;
        for (int k = 0; k < layout.Rank; k++)
        {
            nint span = (layout.Lengths[k] - 1) * strides[k];
            if (span < 0)
            {
                lo += span;
            }
            else
            {
                hi += span;
            }
        }
    }

    private static void Execute<T, TKernel>(Layout layout, T* pa, T* pb, T* pd, TKernel kernel) where T : unmanaged where TKernel : struct, ISpanKernel<T>
    {
        int streams = pb == null ? 2 : 3;
        int inner = -1;
        for (int k = layout.Rank - 1; k >= 0; k--)
        {
            if (layout.StridesD[k] == 1 && layout.StridesA[k] == 1 && (pb == null || layout.StridesB[k] == 1))
            {
                inner = k;
                break;
            }
        }
        if (inner >= 0 && layout.Rank == 1)
        {
            Dense(pa, pb, pd, layout.Lengths[0], kernel);
            return;
        }
        if (inner >= 0 && layout.Lengths[inner] >= MinRun)
        {
            var runs = new Runs<T, TKernel>(layout, inner, pa, pb, pd, kernel);
            long runBytes = (long)layout.Lengths[inner] * streams * sizeof(T);
            if (runBytes >= ParallelRunner.ThresholdBytes)
            {
                runs.Each(0, runs.Count);   // each run is large enough to share itself out
            }
            else
            {
                ParallelRunner.For(runs.Count, runBytes, runs, granule: 1);
            }
            return;
        }
        var tiles = new Tiles<T, TKernel>(layout, inner, pa, pb, pd, kernel);
        ParallelRunner.For(tiles.Count, (long)tiles.TileLength * streams * sizeof(T), tiles, granule: 1);
    }

    private static void Dense<T, TKernel>(T* pa, T* pb, T* pd, nint length, TKernel kernel) where T : unmanaged where TKernel : struct, ISpanKernel<T>
    {
        const int Chunk = 1 << 30;
        for (nint start = 0; start < length; start += Chunk)
        {
            int n = (int)Math.Min(Chunk, length - start);
            kernel.Apply(new ReadOnlySpan<T>(pa + start, n), pb == null ? default : new ReadOnlySpan<T>(pb + start, n), new Span<T>(pd + start, n));
        }
    }

    private static nint Product(nint[] counts)
    {
        nint product = 1;
        foreach (nint c in counts)
        {
            product *= c;
        }
        return product;
    }

    /// <summary>The offsets of the <paramref name="index"/>-th combination of the dimensions in <paramref name="dims"/>
    /// (the last varies fastest), in each operand.</summary>
    private static void Offsets(Layout layout, int[] dims, nint[] counts, nint index, out nint oa, out nint ob, out nint od)
    {
        oa = ob = od = 0;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            nint c = counts[i];
            nint q = index / c;
            nint r = index - q * c;
            index = q;
            int k = dims[i];
            if (k >= 0)
            {
                oa += r * layout.StridesA[k];
                ob += r * layout.StridesB[k];
                od += r * layout.StridesD[k];
            }
        }
    }

    /// <summary>Contiguous inner runs of length <c>Lengths[inner]</c>, one span call each.</summary>
    private readonly struct Runs<T, TKernel> : IRangeBody where T : unmanaged where TKernel : struct, ISpanKernel<T>
    {
        private readonly Layout _layout;
        private readonly int[] _outer;
        private readonly nint[] _counts;
        private readonly T* _a, _b, _d;
        private readonly int _length;
        private readonly TKernel _kernel;

        public nint Count { get; }

        public Runs(Layout layout, int inner, T* a, T* b, T* d, TKernel kernel)
        {
            _layout = layout;
            _outer = [.. Enumerable.Range(0, layout.Rank).Where(k => k != inner)];
            _counts = [.. _outer.Select(k => layout.Lengths[k])];
            Count = Product(_counts);
            if (layout.Lengths[inner] > int.MaxValue)
            {
                throw new NotSupportedException("A contiguous run longer than int.MaxValue elements inside a strided view is not supported.");
            }
            _length = (int)layout.Lengths[inner];
            _a = a;
            _b = b;
            _d = d;
            _kernel = kernel;
        }

        /// <summary>Runs [start, end) on this thread alone (a part of the runs shared among the cores).</summary>
        public void Run(nint start, nint end)
        {
            using ParallelismScope scope = Parallelism.Scope(1);
            Each(start, end);
        }

        /// <summary>Runs [start, end) one after the other, each span call free to share itself among the cores.</summary>
        public void Each(nint start, nint end)
        {
            TKernel kernel = _kernel;
            for (nint r = start; r < end; r++)
            {
                Offsets(_layout, _outer, _counts, r, out nint oa, out nint ob, out nint od);
                kernel.Apply(new ReadOnlySpan<T>(_a + oa, _length), _b == null ? default : new ReadOnlySpan<T>(_b + ob, _length), new Span<T>(_d + od, _length));
            }
        }
    }

    /// <summary>Tiles of up to <see cref="TileElements"/> elements over two dimensions: <c>i</c>, the destination's
    /// contiguous one (the tile's fast axis), and <c>j</c>, the first input's contiguous one when it differs (else the
    /// tile is one-dimensional); every other dimension is looped over.</summary>
    private readonly struct Tiles<T, TKernel> : IRangeBody where T : unmanaged where TKernel : struct, ISpanKernel<T>
    {
        private readonly Layout _layout;
        private readonly int[] _dims;       // outer dimensions, then the tile index along i and along j (−1: no dimension)
        private readonly nint[] _counts;
        private readonly int _i, _j;
        private readonly int _ti, _tj;      // tile sides
        private readonly T* _a, _b, _d;
        private readonly TKernel _kernel;

        public nint Count { get; }

        public int TileLength => _ti * _tj;

        public Tiles(Layout layout, int contiguous, T* a, T* b, T* d, TKernel kernel)
        {
            _layout = layout;
            int rank = layout.Rank;
            int i = contiguous;
            if (i < 0)
            {
                i = Array.FindLastIndex(layout.StridesD, s => s == 1);
            }
            if (i < 0)
            {
                i = rank - 1;
            }
            int j = -1;
            if (layout.StridesA[i] != 1)
            {
                j = Array.FindLastIndex(layout.StridesA, s => s == 1);
            }
            if (j < 0 && layout.Lengths[i] < MinRun && rank > 1)
            {
                j = i == rank - 1 ? rank - 2 : rank - 1;   // short rows: several of them per tile
            }
            _i = i;
            _j = j;
            if (j < 0)
            {
                _ti = (int)Math.Min(layout.Lengths[i], TileElements);
                _tj = 1;
            }
            else
            {
                // Whole rows when the first input reads along i too (short rows); square tiles for a transpose.
                _ti = (int)Math.Min(layout.Lengths[i], layout.StridesA[i] == 1 || layout.Lengths[j] < TileSide ? TileElements : TileSide);
                _tj = (int)Math.Min(layout.Lengths[j], TileElements / _ti);
            }
            var dims = new List<int>();
            var counts = new List<nint>();
            for (int k = 0; k < rank; k++)
            {
                if (k != i && k != j)
                {
                    dims.Add(k);
                    counts.Add(layout.Lengths[k]);
                }
            }
            dims.Add(-1);
            counts.Add((layout.Lengths[i] + _ti - 1) / _ti);
            dims.Add(-1);
            counts.Add(j < 0 ? 1 : (layout.Lengths[j] + _tj - 1) / _tj);
            _dims = [.. dims];
            _counts = [.. counts];
            Count = Product(_counts);
            _a = a;
            _b = b;
            _d = d;
            _kernel = kernel;
        }

        [SkipLocalsInit]
        public void Run(nint start, nint end)
        {
            using ParallelismScope scope = Parallelism.Scope(1);
            T* bufA = stackalloc T[TileElements];
            T* bufB = stackalloc T[_b == null ? 1 : TileElements];
            Layout l = _layout;
            nint sai = l.StridesA[_i], sbi = l.StridesB[_i], sdi = l.StridesD[_i];
            nint saj = _j < 0 ? 0 : l.StridesA[_j], sbj = _j < 0 ? 0 : l.StridesB[_j], sdj = _j < 0 ? 0 : l.StridesD[_j];
            nint li = l.Lengths[_i], lj = _j < 0 ? 1 : l.Lengths[_j];
            nint tilesJ = _counts[^1], tilesI = _counts[^2];
            TKernel kernel = _kernel;
            for (nint t = start; t < end; t++)
            {
                nint tj = t % tilesJ;
                nint ti = t / tilesJ % tilesI;
                Offsets(l, _dims, _counts, t, out nint oa, out nint ob, out nint od);
                nint i0 = ti * _ti, j0 = tj * _tj;
                int ni = (int)Math.Min(_ti, li - i0), nj = (int)Math.Min(_tj, lj - j0);
                int n = ni * nj;
                // Gathered in the destination's order: buffer[j·ni + i].
                Move(_a + oa + i0 * sai + j0 * saj, sai, saj, bufA, 1, ni, ni, nj);
                if (_b != null)
                {
                    Move(_b + ob + i0 * sbi + j0 * sbj, sbi, sbj, bufB, 1, ni, ni, nj);
                }
                kernel.Apply(new ReadOnlySpan<T>(bufA, n), _b == null ? default : new ReadOnlySpan<T>(bufB, n), new Span<T>(bufA, n));
                Move(bufA, 1, ni, _d + od + i0 * sdi + j0 * sdj, sdi, sdj, ni, nj);
            }
        }
    }

    /// <summary>destination[i·dsi + j·dsj] = source[i·ssi + j·ssj] for i &lt; ni, j &lt; nj: rows copied whole when i
    /// is contiguous on both sides, a register transpose when j is contiguous in the source and i in the destination,
    /// else element by element. (The mirror case, i contiguous in the source and j in the destination, does not occur:
    /// a tile's buffer is contiguous along i, and i is the destination's own contiguous dimension whenever it has one.)</summary>
    private static void Move<T>(T* source, nint ssi, nint ssj, T* destination, nint dsi, nint dsj, int ni, int nj) where T : unmanaged
    {
        if (ssi == 1 && dsi == 1)
        {
            for (int j = 0; j < nj; j++)
            {
                new ReadOnlySpan<T>(source + j * ssj, ni).CopyTo(new Span<T>(destination + j * dsj, ni));
            }
        }
        else if (ssj == 1 && dsi == 1 && nj > 1)
        {
            Transpose(source, ssi, destination, dsj, ni, nj);
        }
        else
        {
            for (int j = 0; j < nj; j++)
            {
                T* from = source + j * ssj;
                T* to = destination + j * dsj;
                for (int i = 0; i < ni; i++)
                {
                    to[i * dsi] = from[i * ssi];
                }
            }
        }
    }

    /// <summary>destination[c·dStride + r] = source[r·sStride + c] for r &lt; rows, c &lt; columns: 8 × 8 blocks of 4-byte
    /// elements and 4 × 4 blocks of 8-byte ones in AVX registers (eight row loads, the shuffles, eight row stores), the
    /// edges and other element sizes one element at a time.</summary>
    private static void Transpose<T>(T* source, nint sStride, T* destination, nint dStride, int rows, int columns) where T : unmanaged
    {
        int r0 = 0, c0 = 0;
        if (Avx.IsSupported && sizeof(T) == 4)
        {
            for (; r0 + 8 <= rows; r0 += 8)
            {
                for (c0 = 0; c0 + 8 <= columns; c0 += 8)
                {
                    Transpose8((float*)(source + r0 * sStride + c0), sStride, (float*)(destination + c0 * dStride + r0), dStride);
                }
                Edge(source, sStride, destination, dStride, r0, r0 + 8, c0, columns);
            }
        }
        else if (Avx.IsSupported && sizeof(T) == 8)
        {
            for (; r0 + 4 <= rows; r0 += 4)
            {
                for (c0 = 0; c0 + 4 <= columns; c0 += 4)
                {
                    Transpose4((double*)(source + r0 * sStride + c0), sStride, (double*)(destination + c0 * dStride + r0), dStride);
                }
                Edge(source, sStride, destination, dStride, r0, r0 + 4, c0, columns);
            }
        }
        Edge(source, sStride, destination, dStride, r0, rows, 0, columns);
    }

    private static void Edge<T>(T* source, nint sStride, T* destination, nint dStride, int r0, int r1, int c0, int c1) where T : unmanaged
    {
        for (int r = r0; r < r1; r++)
        {
            T* row = source + r * sStride;
            for (int c = c0; c < c1; c++)
            {
                destination[c * dStride + r] = row[c];
            }
        }
    }

    private static void Transpose8(float* s, nint ss, float* d, nint ds)
    {
        Vector256<float> t0 = Avx.UnpackLow(Avx.LoadVector256(s), Avx.LoadVector256(s + ss));
        Vector256<float> t1 = Avx.UnpackHigh(Avx.LoadVector256(s), Avx.LoadVector256(s + ss));
        Vector256<float> t2 = Avx.UnpackLow(Avx.LoadVector256(s + 2 * ss), Avx.LoadVector256(s + 3 * ss));
        Vector256<float> t3 = Avx.UnpackHigh(Avx.LoadVector256(s + 2 * ss), Avx.LoadVector256(s + 3 * ss));
        Vector256<float> t4 = Avx.UnpackLow(Avx.LoadVector256(s + 4 * ss), Avx.LoadVector256(s + 5 * ss));
        Vector256<float> t5 = Avx.UnpackHigh(Avx.LoadVector256(s + 4 * ss), Avx.LoadVector256(s + 5 * ss));
        Vector256<float> t6 = Avx.UnpackLow(Avx.LoadVector256(s + 6 * ss), Avx.LoadVector256(s + 7 * ss));
        Vector256<float> t7 = Avx.UnpackHigh(Avx.LoadVector256(s + 6 * ss), Avx.LoadVector256(s + 7 * ss));
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }

    private static void Transpose4(double* s, nint ss, double* d, nint ds)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss), r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(t1, t3, 0x31));
    }

    /// <summary>Copies a view into another of the same shape (the staging of the paths that need dense data).</summary>
    public readonly struct Copy<T> : ISpanKernel<T> where T : unmanaged
    {
        public void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) => a.CopyTo(destination);
    }
}
