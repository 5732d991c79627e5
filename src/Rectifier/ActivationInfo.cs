using System.Globalization;
using System.Numerics;

namespace Rectifier;

/// <summary>The family an activation belongs to, which sets its accuracy contract and how it is computed.</summary>
public enum ActivationFamily
{
    /// <summary>Piecewise linear (relu, leaky_relu, hardtanh, …): bitwise PyTorch, compare and select only.</summary>
    PiecewiseLinear,
    /// <summary>Smooth (elu, gelu, silu, sigmoid, …): within a few ULP of the exact value.</summary>
    Smooth,
    /// <summary>Normalised along an axis (softmax, log_softmax, softmin): each output depends on a whole row.</summary>
    AlongAxis,
}

/// <summary>The forms beyond forward, backward from x and in place that an activation offers in <see cref="Activations"/>.</summary>
[Flags]
public enum ActivationForms
{
    /// <summary>Forward, backward from x and in place only.</summary>
    None = 0,
    /// <summary>A backward from the output y (<c>…BackwardFromOutput</c>), so x need not be kept.</summary>
    BackwardFromOutput = 1,
    /// <summary>A forward that also writes one bit per element and a backward from those bits (<c>…WithMask</c>, <c>…BackwardFromMask</c>).</summary>
    Mask = 2,
}

/// <summary>How a parameter is written: a real number, a whole number, or one of a few names.</summary>
public enum ActivationParameterKind
{
    /// <summary>A real number.</summary>
    Number,
    /// <summary>A whole number (an axis).</summary>
    Integer,
    /// <summary>One of <see cref="ActivationParameter.Choices"/>, stored as its index.</summary>
    Choice,
}

/// <summary>A parameter of an activation, as PyTorch names it.</summary>
public sealed class ActivationParameter
{
    internal ActivationParameter(string name, double? defaultValue, string description, ActivationParameterKind kind = ActivationParameterKind.Number, string? defaultText = null)
    {
        Name = name;
        Default = defaultValue;
        Description = description;
        Kind = kind;
        DefaultText = defaultText ?? (defaultValue is double d && kind != ActivationParameterKind.Choice ? d.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>PyTorch's keyword (negative_slope, min_val, lambd, …); the command's option is <c>--</c> and the name with '-' for '_'.</summary>
    public string Name { get; }

    /// <summary>PyTorch's default, or null when the parameter must be given (threshold's t and v).</summary>
    public double? Default { get; }

    /// <summary>What it does and the values it takes.</summary>
    public string Description { get; }

    /// <summary>How it is written.</summary>
    public ActivationParameterKind Kind { get; }

    /// <summary>How the default reads in help text (1/8 rather than 0.125, 'none' for a choice), or null when there is none.</summary>
    public string? DefaultText { get; private init; }

    /// <summary>The names a <see cref="ActivationParameterKind.Choice"/> parameter takes, in the order of their indices.</summary>
    public IReadOnlyList<string> Choices
    {
        get => _choices;
        internal init
        {
            _choices = value;
            DefaultText = Default is double d ? value[(int)d] : null;
        }
    }

    private readonly IReadOnlyList<string> _choices = [];

    /// <inheritdoc/>
    public override string ToString() => DefaultText is null ? Name : $"{Name}={DefaultText}";
}

/// <summary>One row of the catalogue of activations: everything the library, the command line and the tests need to
/// know about an activation (its name, family, formula, parameters with their defaults, the extra forms it has, its
/// kinks) and the calls that compute it. <see cref="All"/> is the catalogue; <see cref="Activation"/> values dispatch
/// through it.</summary>
public abstract partial class ActivationInfo
{
    private readonly ActivationParameter[] _parameters;

    private protected ActivationInfo(ActivationKind kind, string name, ActivationFamily family, string formula, ActivationForms forms, params ActivationParameter[] parameters)
    {
        Kind = kind;
        Name = name;
        Family = family;
        Formula = formula;
        Forms = forms;
        _parameters = parameters;
    }

    /// <summary>The kind of <see cref="Activation"/> this row describes.</summary>
    public ActivationKind Kind { get; }

    /// <summary>PyTorch's name (gelu_tanh for gelu with approximate='tanh').</summary>
    public string Name { get; }

    /// <summary>The family, which sets the accuracy contract.</summary>
    public ActivationFamily Family { get; }

    /// <summary>What it computes, in one line.</summary>
    public string Formula { get; }

    /// <summary>The extra forms <see cref="Activations"/> has for it.</summary>
    public ActivationForms Forms { get; }

    /// <summary>Its parameters in PyTorch's order; the first number (or axis) is <see cref="Activation.First"/>, the
    /// second <see cref="Activation.Second"/>. A choice (gelu's approximate) selects the kind instead.</summary>
    public IReadOnlyList<ActivationParameter> Parameters => _parameters;

    /// <summary>For a variant that is another activation with a choice made (gelu_tanh is gelu with
    /// approximate='tanh'), that activation; otherwise null.</summary>
    public ActivationKind? VariantOf { get; private protected init; }

    /// <summary>False for softmax, log_softmax and softmin.</summary>
    public bool IsElementwise => Family != ActivationFamily.AlongAxis;

    /// <summary>The activation with the given parameter values in the order of <see cref="Parameters"/>; those not
    /// given take their defaults. Values are checked as the computation checks them (see <see cref="Activation.Validate{T}"/>).</summary>
    /// <param name="values">Parameter values; a choice is the index of its name in <see cref="ActivationParameter.Choices"/>.</param>
    /// <exception cref="ArgumentException">More values than parameters, a required parameter missing, or a choice out of range.</exception>
    public Activation Create(params ReadOnlySpan<double> values)
    {
        if (values.Length > _parameters.Length)
        {
            throw new ArgumentException($"{Name} takes {_parameters.Length} parameter(s), not {values.Length}", nameof(values));
        }
        Span<double> slots = stackalloc double[2];
        int slot = 0;
        ActivationKind kind = Kind;
        for (int i = 0; i < _parameters.Length; i++)
        {
            ActivationParameter p = _parameters[i];
            double v = i < values.Length ? values[i]
                : p.Default ?? throw new ArgumentException($"{Name} needs its parameter {p.Name}", nameof(values));
            if (p.Kind == ActivationParameterKind.Choice)
            {
                kind = Choose(p, v);
                continue;
            }
            slots[slot++] = v;
        }
        return new Activation(kind, slots[0], slots[1]);
    }

    /// <summary>The value of parameter <paramref name="index"/> of <see cref="Parameters"/> in <paramref name="activation"/>.</summary>
    public double ValueOf(Activation activation, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _parameters.Length);
        int slot = 0;
        for (int i = 0; i < index; i++)
        {
            slot += _parameters[i].Kind == ActivationParameterKind.Choice ? 0 : 1;
        }
        return _parameters[index].Kind == ActivationParameterKind.Choice ? ChoiceOf(activation) : slot == 0 ? activation.First : activation.Second;
    }

    /// <summary>The points where <paramref name="activation"/> or its derivative may be discontinuous (a plot draws
    /// the pieces between them apart); empty for the smooth functions.</summary>
    public virtual IReadOnlyList<double> Kinks(Activation activation) => [];

    /// <summary>How <paramref name="a"/> prints: the name, then its numbers in order (<c>leaky_relu(0.2)</c>), an axis as
    /// <c>dim=d</c>.</summary>
    internal string Format(Activation a)
    {
        var parts = new List<string>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            ActivationParameter p = _parameters[i];
            if (p.Kind == ActivationParameterKind.Choice)
            {
                continue;
            }
            string v = ValueOf(a, i).ToString(CultureInfo.InvariantCulture);
            parts.Add(p.Kind == ActivationParameterKind.Integer ? $"{p.Name}={v}" : v);
        }
        return parts.Count == 0 ? Name : $"{Name}({string.Join(", ", parts)})";
    }

    private protected virtual ActivationKind Choose(ActivationParameter parameter, double index) => Kind;

    private protected virtual double ChoiceOf(Activation activation) => 0;

    /// <summary>y = f(x).</summary>
    internal abstract void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>dx = f'(x)·g.</summary>
    internal abstract void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>y = f(x) over a tensor of <paramref name="shape"/>, which an element-wise function checks and ignores.</summary>
    internal virtual void Forward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Activations.DimLayout(shape, -1, x.Length);
        Forward(a, x, y);
    }

    /// <summary>dx = f'(x)·g over a tensor of <paramref name="shape"/>.</summary>
    internal virtual void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Activations.DimLayout(shape, -1, x.Length);
        Backward(a, x, g, dx);
    }

    /// <summary>For the piecewise-linear family in float and double: calls <paramref name="visitor"/> with the forward
    /// operator, for the passes that fuse it with other work, and returns true; false for the rest.</summary>
    internal virtual bool VisitForward<T, TVisitor>(in Activation a, ref TVisitor visitor)
        where T : unmanaged, IFloatingPointIeee754<T> where TVisitor : struct, Operators.IPiecewiseVisitor<T> => false;

    /// <summary>The backward's counterpart of <see cref="VisitForward{T, TVisitor}"/>: the operator dx = f'(x)·g.</summary>
    internal virtual bool VisitBackward<T, TVisitor>(in Activation a, ref TVisitor visitor)
        where T : unmanaged, IFloatingPointIeee754<T> where TVisitor : struct, Operators.IPiecewiseBackwardVisitor<T> => false;
}
