using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Rectifier.Operators;

namespace Rectifier.Kernels;

/// <summary>Counting "x &gt; t" for the dead-unit monitor, written once over the width strategy (512 → 256 → 128 →
/// scalar, folded by the JIT): along a run (all one unit: NCHW and axis 0), and across rows into per-unit counters
/// ([batch, units]). A compare gives all-ones lanes, i.e. −1 as an integer, so subtracting the compare from an
/// integer accumulator counts in one instruction; counts are exact integers, so they never depend on the width or
/// the order. Half data is widened to float in blocks (exact), compared with the threshold rounded to Half first.</summary>
internal static unsafe class CountKernels
{
    /// <summary>How many elements of <paramref name="data"/> are greater than <paramref name="threshold"/> (NaN never is).</summary>
    public static long CountAbove<T>(ReadOnlySpan<T> data, T threshold) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(Half))
        {
            ReadOnlySpan<Half> h = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Half>(data);
            float t = (float)(Half)(object)threshold;
            Span<float> block = stackalloc float[1024];
            long total = 0;
            for (int i = 0; i < h.Length; i += block.Length)
            {
                int n = Math.Min(block.Length, h.Length - i);
                TensorPrimitives.ConvertToSingle(h.Slice(i, n), block[..n]);
                total += CountAbove<float>(block[..n], t);
            }
            return total;
        }
        fixed (T* p = data)
        {
            if (Vector512.IsHardwareAccelerated && data.Length >= Vector512<T>.Count)
            {
                return Count<T, W512<T>, Vector512<T>>(p, data.Length, threshold);
            }
            if (Vector256.IsHardwareAccelerated && data.Length >= Vector256<T>.Count)
            {
                return Count<T, W256<T>, Vector256<T>>(p, data.Length, threshold);
            }
            if (Vector128.IsHardwareAccelerated && data.Length >= Vector128<T>.Count)
            {
                return Count<T, W128<T>, Vector128<T>>(p, data.Length, threshold);
            }
            long count = 0;
            for (int i = 0; i < data.Length; i++)
            {
                count += p[i] > threshold ? 1 : 0;
            }
            return count;
        }
    }

    /// <summary>Four independent accumulators over the body; the tail as one vector overlapping the body, masked
    /// to the elements not yet counted.</summary>
    private static long Count<T, W, TV>(T* p, int n, T threshold) where T : unmanaged, IFloatingPointIeee754<T> where W : IWidth<T, TV> where TV : unmanaged
    {
        int v = W.Count;
        TV t = W.Splat(threshold);
        TV a0 = default, a1 = default, a2 = default, a3 = default;
        int i = 0;
        // A lane gains at most one count per 4·v elements, n / (4·v) < 2^31: no 32-bit lane can wrap.
        for (; i <= n - 4 * v; i += 4 * v)
        {
            a0 = W.CountInto(a0, W.Load(p + i), t);
            a1 = W.CountInto(a1, W.Load(p + i + v), t);
            a2 = W.CountInto(a2, W.Load(p + i + 2 * v), t);
            a3 = W.CountInto(a3, W.Load(p + i + 3 * v), t);
        }
        for (; i <= n - v; i += v)
        {
            a0 = W.CountInto(a0, W.Load(p + i), t);
        }
        if (i < n)
        {
            // The last vector [n − v, n): count only its lanes at or past i.
            a0 = W.CountInto(a0, W.Load(p + n - v), t, skip: v - (n - i));
        }
        return W.Sum(a0) + W.Sum(a1) + W.Sum(a2) + W.Sum(a3);
    }

    /// <summary>y = op(x) over one run, returning how many y are greater than <paramref name="threshold"/>: the
    /// activation and the count in one pass, from registers (float and double; the operator's vector and scalar
    /// forms give the same bits, so y is what the element-wise driver writes). <paramref name="y"/> may be
    /// <paramref name="x"/>.</summary>
    public static long MapCount<T, TOp>(TOp op, T* x, T* y, int n, T threshold) where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T>
    {
        int i = 0;
        long count = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            count = MapCount<T, TOp, W512<T>, Vector512<T>>(op, x, y, n, threshold, out i);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            count = MapCount<T, TOp, W256<T>, Vector256<T>>(op, x, y, n, threshold, out i);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            count = MapCount<T, TOp, W128<T>, Vector128<T>>(op, x, y, n, threshold, out i);
        }
        for (; i < n; i++)
        {
            T r = op.Invoke(x[i]);
            y[i] = r;
            count += r > threshold ? 1 : 0;
        }
        return count;
    }

    private static long MapCount<T, TOp, W, TV>(TOp op, T* x, T* y, int n, T threshold, out int done)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T> where W : IWidth<T, TV> where TV : unmanaged
    {
        int v = W.Count;
        TV t = W.Splat(threshold);
        TV a0 = default, a1 = default;
        int i = 0;
        // A lane gains at most n / v ≤ 2^29 counts here: no 32-bit wrap.
        for (; i <= n - 2 * v; i += 2 * v)
        {
            TV r0 = W.Apply(op, W.Load(x + i)), r1 = W.Apply(op, W.Load(x + i + v));
            W.Store(r0, y + i);
            W.Store(r1, y + i + v);
            a0 = W.CountInto(a0, r0, t);
            a1 = W.CountInto(a1, r1, t);
        }
        for (; i <= n - v; i += v)
        {
            TV r = W.Apply(op, W.Load(x + i));
            W.Store(r, y + i);
            a0 = W.CountInto(a0, r, t);
        }
        done = i;
        return W.Sum(a0) + W.Sum(a1);
    }

    /// <summary>Adds, for each row of <paramref name="rows"/> × <paramref name="units"/> elements, 1 to
    /// <paramref name="active"/>[u] where the row's element u is greater than <paramref name="threshold"/>.</summary>
    public static void AddRows<T>(ReadOnlySpan<T> data, int rows, int units, T threshold, Span<long> active) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var counters = new RowCounters(units, typeof(T) == typeof(double));
        counters.Add(data, rows, threshold);
        counters.FlushInto(active);
    }

    /// <summary>Per-unit counters in integer lanes of the data's size (32-bit for float and Half, 64-bit for double),
    /// so a row is counted with one compare and one integer subtract per vector; <see cref="FlushInto"/> adds them to
    /// 64-bit totals (and <see cref="Add{T}"/> flushes by itself before a 32-bit counter could wrap).</summary>
    internal sealed class RowCounters
    {
        private readonly int[]? _int;
        private readonly long[]? _long;
        private readonly long[] _flushed;
        private long _rowsSinceFlush;
        private float[]? _halfBlock;

        public RowCounters(int units, bool wide)
        {
            Units = units;
            _flushed = new long[units];
            if (wide)
            {
                _long = new long[units];
            }
            else
            {
                _int = new int[units];
            }
        }

        public int Units { get; }

        /// <summary>Counts <paramref name="rows"/> whole rows of <see cref="Units"/> elements.</summary>
        public void Add<T>(ReadOnlySpan<T> data, int rows, T threshold) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) == typeof(Half))
            {
                ReadOnlySpan<Half> h = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Half>(data);
                float t = (float)(Half)(object)threshold;
                int perBlock = Math.Max(1, 4096 / Math.Max(1, Units));
                _halfBlock ??= new float[perBlock * Units];
                for (int r = 0; r < rows; r += perBlock)
                {
                    int k = Math.Min(perBlock, rows - r);
                    TensorPrimitives.ConvertToSingle(h.Slice(r * Units, k * Units), _halfBlock.AsSpan(0, k * Units));
                    Add<float>(_halfBlock.AsSpan(0, k * Units), k, t);
                }
                return;
            }
            fixed (T* p = data)
            {
                Pass<T, IdentityOperator<T>>(default, p, null, rows, threshold);
            }
        }

        /// <summary>y = op(x) over <paramref name="rows"/> whole rows of <see cref="Units"/> elements, counting each y
        /// as <see cref="Add{T}"/> would, in one pass (float and double; <paramref name="y"/> may be
        /// <paramref name="x"/>). y has the bits the element-wise driver writes: every element is op of its own x.</summary>
        public void AddMapped<T, TOp>(TOp op, T* x, T* y, int rows, T threshold)
            where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T>
            => Pass(op, x, y, rows, threshold);

        /// <summary>Counts op(x) across rows, storing it to <paramref name="y"/> unless that is null (then op is the
        /// identity and the count-only kernel runs), in chunks that no 32-bit counter can wrap within.</summary>
        private void Pass<T, TOp>(TOp op, T* x, T* y, int rows, T threshold)
            where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T>
        {
            for (int r0 = 0; r0 < rows;)
            {
                int k = NextChunk(rows - r0);
                long at = (long)r0 * Units;
                T* yk = y == null ? null : y + at;
                fixed (int* ci = _int)
                fixed (long* cl = _long)
                {
                    void* c = typeof(T) == typeof(double) ? cl : ci;
                    if (Vector512.IsHardwareAccelerated && Units >= Vector512<T>.Count)
                    {
                        Rows<T, TOp, W512<T>, Vector512<T>>(op, x + at, yk, k, Units, threshold, c);
                    }
                    else if (Vector256.IsHardwareAccelerated && Units >= Vector256<T>.Count)
                    {
                        Rows<T, TOp, W256<T>, Vector256<T>>(op, x + at, yk, k, Units, threshold, c);
                    }
                    else if (Vector128.IsHardwareAccelerated && Units >= Vector128<T>.Count)
                    {
                        Rows<T, TOp, W128<T>, Vector128<T>>(op, x + at, yk, k, Units, threshold, c);
                    }
                    else
                    {
                        for (long i = at; i < at + (long)k * Units; i++)
                        {
                            T r = op.Invoke(x[i]);
                            if (y != null)
                            {
                                y[i] = r;
                            }
                            if (r > threshold)
                            {
                                int u = (int)((i - at) % Units);
                                if (typeof(T) == typeof(double))
                                {
                                    cl[u]++;
                                }
                                else
                                {
                                    ci[u]++;
                                }
                            }
                        }
                    }
                }
                r0 += k;
                Counted(k);
            }
        }

        /// <summary>One width of <see cref="Pass{T, TOp}"/>: counting only, or mapping and counting.</summary>
        private static void Rows<T, TOp, W, TV>(TOp op, T* x, T* y, int rows, int units, T threshold, void* counters)
            where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T> where W : IWidth<T, TV> where TV : unmanaged
        {
            if (y == null)
            {
                CountKernels.Rows<T, W, TV>(x, rows, units, threshold, counters);
            }
            else
            {
                MapRows<T, TOp, W, TV>(op, x, y, rows, units, threshold, counters);
            }
        }

        /// <summary>Rows counted between flushes: 2^30, so that no 32-bit counter can wrap (a counter gains at most one
        /// per row). Only a call of 2^30 rows or more reaches it; tests lower it to run the chunked path on small data.</summary>
        internal static long RowsPerFlush = 1L << 30;

        /// <summary>How many of <paramref name="remaining"/> rows can be counted before a 32-bit counter could wrap.</summary>
        private int NextChunk(int remaining) => (int)Math.Min(remaining, RowsPerFlush - _rowsSinceFlush);

        private void Counted(int rows)
        {
            _rowsSinceFlush += rows;
            if (_rowsSinceFlush >= RowsPerFlush)
            {
                Flush();
            }
        }

        private void Flush()
        {
            for (int u = 0; u < Units; u++)
            {
                _flushed[u] += _int is not null ? _int[u] : _long![u];
            }
            if (_int is not null)
            {
                Array.Clear(_int);
            }
            else
            {
                Array.Clear(_long!);
            }
            _rowsSinceFlush = 0;
        }

        /// <summary>Adds every count so far to <paramref name="active"/> and clears the counters.</summary>
        public void FlushInto(Span<long> active)
        {
            Flush();
            for (int u = 0; u < Units; u++)
            {
                active[u] += _flushed[u];
            }
            Array.Clear(_flushed);
        }
    }

    /// <summary>Whole rows, 8 at a time (rows 4 KB apart share L1 sets: more at once would evict each other): for each vector of units, its counters are loaded once, the 8 rows'
    /// compares subtracted in a register, and stored once (two vectors of units interleaved, so two chains run at
    /// once); each row is read front to back, so the 8 rows are 8 sequential streams. The last vector of the row
    /// overlaps the one before it and counts only its new lanes.</summary>
    private static void Rows<T, W, TV>(T* p, int rows, int units, T threshold, void* counters)
        where T : unmanaged, IFloatingPointIeee754<T> where W : IWidth<T, TV> where TV : unmanaged
    {
        const int Group = 8;
        int v = W.Count;
        TV t = W.Splat(threshold);
        T* c = (T*)counters;   // integer lanes of T's size, reinterpreted
        int full = units / v * v;
        int skip = full == units ? 0 : v - (units - full);
        for (int r0 = 0; r0 < rows; r0 += Group)
        {
            int nr = Math.Min(Group, rows - r0);
            T* q = p + (long)r0 * units;
            int k = 0;
            for (; k + 2 * v <= full; k += 2 * v)
            {
                TV a = W.Load(c + k), b = W.Load(c + k + v);
                T* x = q + k;
                for (int r = 0; r < nr; r++, x += units)
                {
                    a = W.CountInto(a, W.Load(x), t);
                    b = W.CountInto(b, W.Load(x + v), t);
                }
                W.Store(a, c + k);
                W.Store(b, c + k + v);
            }
            for (; k < full; k += v)
            {
                TV a = W.Load(c + k);
                T* x = q + k;
                for (int r = 0; r < nr; r++, x += units)
                {
                    a = W.CountInto(a, W.Load(x), t);
                }
                W.Store(a, c + k);
            }
            if (skip != 0)
            {
                TV a = W.Load(c + units - v);
                T* x = q + units - v;
                for (int r = 0; r < nr; r++, x += units)
                {
                    a = W.CountInto(a, W.Load(x), t, skip);
                }
                W.Store(a, c + units - v);
            }
        }
    }

    /// <summary>y = op(x) and its count across rows in one pass, 16 rows at a time: for each strip of 8 vectors of
    /// units the counters stay in registers while the strip is computed, stored and counted down the 16 rows, then
    /// are stored once. (Counting a row's y as it is stored, with counters in memory, measured 1.3–1.4× slower: the
    /// counter stores queue behind the stores of y that miss the cache.) Every row's body starts where row 0's
    /// destination is aligned; the lanes before it and after the last whole vector come from a first and a last
    /// vector per row, computed before any of the block is stored (so y may be x) and counted only on their own lanes.</summary>
    private static void MapRows<T, TOp, W, TV>(TOp op, T* x, T* y, int rows, int units, T threshold, void* counters)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T> where W : IWidth<T, TV> where TV : unmanaged
    {
        const int Block = 16;
        int v = W.Count;
        TV t = W.Splat(threshold);
        T* c = (T*)counters;   // integer lanes of T's size, reinterpreted
        int i0 = ((nint)y & (sizeof(T) - 1)) == 0 ? v - (int)(((nint)(y + v) & (v * sizeof(T) - 1)) / sizeof(T)) : v;
        int end = i0 + (units - i0) / v * v;
        int lastFrom = end - (units - v);   // the last vector's lanes from here on are past the body
        TV* edges = stackalloc TV[2 * Block];
        for (int r0 = 0; r0 < rows; r0 += Block)
        {
            int nr = Math.Min(Block, rows - r0);
            T* xb = x + (long)r0 * units, yb = y + (long)r0 * units;
            for (int r = 0; r < nr; r++)
            {
                edges[2 * r] = W.Apply(op, W.Load(xb + (long)r * units));
                edges[2 * r + 1] = W.Apply(op, W.Load(xb + (long)r * units + units - v));
            }
            int k = i0;
            for (; k + 8 * v <= end; k += 8 * v)
            {
                TV c0 = W.Load(c + k), c1 = W.Load(c + k + v), c2 = W.Load(c + k + 2 * v), c3 = W.Load(c + k + 3 * v);
                TV c4 = W.Load(c + k + 4 * v), c5 = W.Load(c + k + 5 * v), c6 = W.Load(c + k + 6 * v), c7 = W.Load(c + k + 7 * v);
                T* xr = xb + k, yr = yb + k;
                for (int r = 0; r < nr; r++, xr += units, yr += units)
                {
                    c0 = MapOne<T, TOp, W, TV>(op, xr, yr, c0, t);
                    c1 = MapOne<T, TOp, W, TV>(op, xr + v, yr + v, c1, t);
                    c2 = MapOne<T, TOp, W, TV>(op, xr + 2 * v, yr + 2 * v, c2, t);
                    c3 = MapOne<T, TOp, W, TV>(op, xr + 3 * v, yr + 3 * v, c3, t);
                    c4 = MapOne<T, TOp, W, TV>(op, xr + 4 * v, yr + 4 * v, c4, t);
                    c5 = MapOne<T, TOp, W, TV>(op, xr + 5 * v, yr + 5 * v, c5, t);
                    c6 = MapOne<T, TOp, W, TV>(op, xr + 6 * v, yr + 6 * v, c6, t);
                    c7 = MapOne<T, TOp, W, TV>(op, xr + 7 * v, yr + 7 * v, c7, t);
                }
                W.Store(c0, c + k);
                W.Store(c1, c + k + v);
                W.Store(c2, c + k + 2 * v);
                W.Store(c3, c + k + 3 * v);
                W.Store(c4, c + k + 4 * v);
                W.Store(c5, c + k + 5 * v);
                W.Store(c6, c + k + 6 * v);
                W.Store(c7, c + k + 7 * v);
            }
            for (; k < end; k += v)
            {
                TV c0 = W.Load(c + k);
                T* xr = xb + k, yr = yb + k;
                for (int r = 0; r < nr; r++, xr += units, yr += units)
                {
                    c0 = MapOne<T, TOp, W, TV>(op, xr, yr, c0, t);
                }
                W.Store(c0, c + k);
            }
            TV head = W.Load(c);
            for (int r = 0; r < nr; r++)
            {
                W.Store(edges[2 * r + 1], yb + (long)r * units + units - v);
                W.Store(edges[2 * r], yb + (long)r * units);
                head = W.CountInto(head, edges[2 * r], t, take: i0);
            }
            W.Store(head, c);
            TV tail = W.Load(c + units - v);
            for (int r = 0; r < nr; r++)
            {
                tail = W.CountInto(tail, edges[2 * r + 1], t, skip: lastFrom);
            }
            W.Store(tail, c + units - v);
        }
    }

    /// <summary>One vector of y = op(x) stored, and its compare with t counted into <paramref name="acc"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV MapOne<T, TOp, W, TV>(TOp op, T* x, T* y, TV acc, TV t)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T> where W : IWidth<T, TV> where TV : unmanaged
    {
        TV a = W.Apply(op, W.Load(x));
        W.Store(a, y);
        return W.CountInto(acc, a, t);
    }

    /// <summary>One vector width for <see cref="CountKernels"/>: lanes of T, counters in integer lanes of T's size.</summary>
    private interface IWidth<T, TV> where T : unmanaged where TV : struct
    {
        static abstract int Count { get; }
        static abstract TV Splat(T value);
        static abstract TV Load(T* p);
        /// <summary>acc + (x &gt; t ? 1 : 0) per lane, lanes below <paramref name="skip"/> and from <paramref name="take"/> on left out.</summary>
        static abstract TV CountInto(TV acc, TV x, TV t, int skip = 0, int take = int.MaxValue);
        static abstract long Sum(TV acc);
        /// <summary>Stores a vector (values, or counters in their integer lanes).</summary>
        static abstract void Store(TV value, T* p);
        static abstract TV Apply<TOp>(TOp op, TV x) where TOp : struct, IUnaryOperator<T>;
    }

    private readonly struct W512<T> : IWidth<T, Vector512<T>> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector512<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Splat(T value) => Vector512.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* p) => Vector512.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> CountInto(Vector512<T> acc, Vector512<T> x, Vector512<T> t, int skip = 0, int take = int.MaxValue)
        {
            Vector512<T> mask = Vector512.GreaterThan(x, t);
            if (skip > 0)
            {
                mask &= Tail(skip);
            }
            if (take < Count)
            {
                mask = Vector512.AndNot(mask, Tail(take));
            }
            return typeof(T) == typeof(float)
                ? (acc.AsInt32() - mask.AsInt32()).As<int, T>()
                : (acc.AsInt64() - mask.AsInt64()).As<long, T>();
        }

        private static Vector512<T> Tail(int skip)
        {
            Vector512<T> lanes = typeof(T) == typeof(float) ? Vector512<int>.Indices.As<int, T>() : Vector512<long>.Indices.As<long, T>();
            return typeof(T) == typeof(float)
                ? Vector512.GreaterThanOrEqual(lanes.AsInt32(), Vector512.Create(skip)).As<int, T>()
                : Vector512.GreaterThanOrEqual(lanes.AsInt64(), Vector512.Create((long)skip)).As<long, T>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Sum(Vector512<T> acc) => typeof(T) == typeof(float)
            ? Vector512.Sum(Vector512.WidenLower(acc.AsInt32()) + Vector512.WidenUpper(acc.AsInt32()))
            : Vector512.Sum(acc.AsInt64());

        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, T* p) => value.Store(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Apply<TOp>(TOp op, Vector512<T> x) where TOp : struct, IUnaryOperator<T> => op.Invoke(x);
    }

    private readonly struct W256<T> : IWidth<T, Vector256<T>> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector256<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Splat(T value) => Vector256.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* p) => Vector256.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> CountInto(Vector256<T> acc, Vector256<T> x, Vector256<T> t, int skip = 0, int take = int.MaxValue)
        {
            Vector256<T> mask = Vector256.GreaterThan(x, t);
            if (skip > 0)
            {
                mask &= Tail(skip);
            }
            if (take < Count)
            {
                mask = Vector256.AndNot(mask, Tail(take));
            }
            return typeof(T) == typeof(float)
                ? (acc.AsInt32() - mask.AsInt32()).As<int, T>()
                : (acc.AsInt64() - mask.AsInt64()).As<long, T>();
        }

        private static Vector256<T> Tail(int skip)
        {
            Vector256<T> lanes = typeof(T) == typeof(float) ? Vector256<int>.Indices.As<int, T>() : Vector256<long>.Indices.As<long, T>();
            return typeof(T) == typeof(float)
                ? Vector256.GreaterThanOrEqual(lanes.AsInt32(), Vector256.Create(skip)).As<int, T>()
                : Vector256.GreaterThanOrEqual(lanes.AsInt64(), Vector256.Create((long)skip)).As<long, T>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Sum(Vector256<T> acc) => typeof(T) == typeof(float)
            ? Vector256.Sum(Vector256.WidenLower(acc.AsInt32()) + Vector256.WidenUpper(acc.AsInt32()))
            : Vector256.Sum(acc.AsInt64());

        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, T* p) => value.Store(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Apply<TOp>(TOp op, Vector256<T> x) where TOp : struct, IUnaryOperator<T> => op.Invoke(x);
    }

    private readonly struct W128<T> : IWidth<T, Vector128<T>> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector128<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Splat(T value) => Vector128.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(T* p) => Vector128.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> CountInto(Vector128<T> acc, Vector128<T> x, Vector128<T> t, int skip = 0, int take = int.MaxValue)
        {
            Vector128<T> mask = Vector128.GreaterThan(x, t);
            if (skip > 0)
            {
                mask &= Tail(skip);
            }
            if (take < Count)
            {
                mask = Vector128.AndNot(mask, Tail(take));
            }
            return typeof(T) == typeof(float)
                ? (acc.AsInt32() - mask.AsInt32()).As<int, T>()
                : (acc.AsInt64() - mask.AsInt64()).As<long, T>();
        }

        private static Vector128<T> Tail(int skip)
        {
            Vector128<T> lanes = typeof(T) == typeof(float) ? Vector128<int>.Indices.As<int, T>() : Vector128<long>.Indices.As<long, T>();
            return typeof(T) == typeof(float)
                ? Vector128.GreaterThanOrEqual(lanes.AsInt32(), Vector128.Create(skip)).As<int, T>()
                : Vector128.GreaterThanOrEqual(lanes.AsInt64(), Vector128.Create((long)skip)).As<long, T>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Sum(Vector128<T> acc) => typeof(T) == typeof(float)
            ? Vector128.Sum(Vector128.WidenLower(acc.AsInt32()) + Vector128.WidenUpper(acc.AsInt32()))
            : Vector128.Sum(acc.AsInt64());

        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> value, T* p) => value.Store(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Apply<TOp>(TOp op, Vector128<T> x) where TOp : struct, IUnaryOperator<T> => op.Invoke(x);
    }
}
