using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rectifier.Kernels;

/// <summary>Dense spans for tensor views, for the computations that need a whole C-ordered buffer (softmax along
/// an axis, prelu and bias per channel): a dense view is used as it is; a strided one is copied into a pooled buffer
/// (and, for the output, copied back by <see cref="Store"/>), so the computation itself is always the span path's.
/// <c>using var stage = new TensorStage&lt;T&gt;();</c> returns the buffers.</summary>
internal ref struct TensorStage<T> where T : unmanaged
{
    private T[]? _first, _second, _output;

    /// <summary>The view's elements as one span: its own memory when it is contiguous, else a pooled copy.</summary>
    public ReadOnlySpan<T> Input(in ReadOnlyTensorSpan<T> view, string name)
    {
        int length = Length(view.FlattenedLength, name);
        if (length == 0)
        {
            return default;
        }
        if (TensorWalk.IsContiguous(view.Lengths, view.Strides))
        {
            return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in view.GetPinnableReference()), length);
        }
        T[] buffer = ArrayPool<T>.Shared.Rent(length);
        if (_first is null)
        {
            _first = buffer;
        }
        else
        {
            _second = buffer;
        }
        var dense = new TensorSpan<T>(buffer.AsSpan(0, length), view.Lengths);
        TensorWalk.Run(view, default, false, dense, new TensorWalk.Copy<T>(), name, name, name);
        return buffer.AsSpan(0, length);
    }

    /// <summary>Where to compute the output: the view's own memory when it is contiguous, else a pooled buffer that
    /// <see cref="Store"/> copies into the view.</summary>
    public Span<T> Output(in TensorSpan<T> view, string name)
    {
        int length = Length(view.FlattenedLength, name);
        if (length == 0)
        {
            return default;
        }
        if (TensorWalk.IsContiguous(view.Lengths, view.Strides))
        {
            return MemoryMarshal.CreateSpan(ref view.GetPinnableReference(), length);
        }
        _output = ArrayPool<T>.Shared.Rent(length);
        return _output.AsSpan(0, length);
    }

    /// <summary>Copies an output computed in a pooled buffer into its strided view (nothing when it was computed in
    /// the view's own memory).</summary>
    public readonly void Store(in TensorSpan<T> view, string name)
    {
        if (_output is null)
        {
            return;
        }
        var dense = new ReadOnlyTensorSpan<T>(_output.AsSpan(0, (int)view.FlattenedLength), view.Lengths);
        TensorWalk.Run(dense, default, false, view, new TensorWalk.Copy<T>(), name, name, name);
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        foreach (T[]? buffer in (ReadOnlySpan<T[]?>)[_first, _second, _output])
        {
            if (buffer is not null)
            {
                ArrayPool<T>.Shared.Return(buffer);
            }
        }
        _first = _second = _output = null;
    }

    private static int Length(nint length, string name)
    {
        if (length > Array.MaxLength)
        {
            ThrowHelper.Argument(name, $"'{name}' has {length} elements; this computation handles at most {Array.MaxLength} at once.");
        }
        return (int)length;
    }
}
