using System.Diagnostics.CodeAnalysis;

namespace Rectifier.Kernels;

/// <summary>Throws live here so the hot entry points stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void DestinationTooShort(string paramName) =>
        throw new ArgumentException("Destination is too short: it must be at least as long as the input.", paramName);

    [DoesNotReturn]
    public static void PartialOverlap(string paramName, string inputName) =>
        throw new ArgumentException($"'{paramName}' partially overlaps '{inputName}': use the same span (in-place) or separate memory.", paramName);

    [DoesNotReturn]
    public static void LengthMismatch(string paramName, int expected, int actual) =>
        throw new ArgumentException($"'{paramName}' has {actual} elements but the input has {expected}: they must have the same length.", paramName);

    [DoesNotReturn]
    public static void NotSupportedType<T>() =>
        throw new NotSupportedException($"Rectifier computes in Half, float and double; {typeof(T).Name} is not supported.");

    [DoesNotReturn]
    public static void OutOfRange(string paramName, object value, string message) =>
        throw new ArgumentOutOfRangeException(paramName, value, message);

    [DoesNotReturn]
    public static void Argument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);
}
