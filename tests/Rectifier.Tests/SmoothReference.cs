namespace Rectifier.Tests;

/// <summary>Double-precision references for the smooth family, written independently of the library (different
/// formulas: Taylor series, Goldberg's log1p, continued fractions, cosh), accurate to a few double ULPs — about
/// 2^-29 of a float ULP, so they serve as the exact value for float results.</summary>
public static class SmoothReference
{
    public const double SeluAlpha = 1.6732632423543772848170429916717;
    public const double SeluScale = 1.0507009873554804934193349852946;

    public static double Expm1(double x)
    {
        if (x == 0)
        {
            return x; // keeps the sign of zero
        }
        if (Math.Abs(x) < 0.5)
        {
            double term = x, sum = x;
            for (int n = 2; n < 30; n++)
            {
                term *= x / n;
                sum += term;
            }
            return sum;
        }
        return Math.Exp(x) - 1;
    }

    /// <summary>log(1 + x) by Goldberg's correction: log(u)·x/(u − 1) with u = 1 + x rounded.</summary>
    public static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    public static double Sech2(double x)
    {
        double c = Math.Cosh(x);
        return 1 / (c * c);
    }

    /// <summary>Φ(x), the standard normal CDF, relative-accurate in the lower tail.</summary>
    public static double Phi(double x)
    {
        double gauss = Math.Exp(-0.5 * x * x);   // exact x² for float inputs
        double u = Math.Abs(x) / Math.Sqrt(2);
        double lower;                            // Φ(−|x|) = erfc(u)/2
        if (gauss == 0)
        {
            lower = 0;                           // below every double: the tail has underflowed
        }
        else if (u < 2.5)
        {
            // erf(u) = 2/√π·e^{−u²}·Σ 2ⁿu^{2n+1}/(1·3·…·(2n+1)), all terms positive
            double term = u, sum = u;
            for (int n = 1; n < 200 && term > 1e-300; n++)
            {
                term *= 2 * u * u / (2 * n + 1);
                sum += term;
            }
            double erf = 2 / Math.Sqrt(Math.PI) * gauss * sum;
            lower = (1 - erf) / 2;
        }
        else
        {
            // erfc(u) = e^{−u²}/√π · 1/(u + (1/2)/(u + 1/(u + (3/2)/(u + …)))), evaluated from the tail
            double f = u;
            for (int k = 300; k >= 1; k--)
            {
                f = u + k / 2.0 / f;
            }
            lower = gauss / Math.Sqrt(Math.PI) / f / 2;
        }
        return x < 0 ? lower : 1 - lower;
    }

    public static double PhiDensity(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>x − tanh x: below |x| = 0.25 its Taylor series (tanh's coefficients are the tangent numbers:
    /// x³/3 − 2x⁵/15 + 17x⁷/315 − …; each term is a fortieth of the last there), above it the direct difference, which
    /// loses at most a factor 50 of double's precision.</summary>
    public static double Tanhshrink(double x)
    {
        if (Math.Abs(x) >= 0.25)
        {
            return x - Math.Tanh(x);
        }
        // coefficients of x^(2k+1) in x − tanh x, k = 1..9
        ReadOnlySpan<double> c =
        [
            1.0 / 3, -2.0 / 15, 17.0 / 315, -62.0 / 2835, 1382.0 / 155925, -21844.0 / 6081075, 929569.0 / 638512875,
            -6404582.0 / 10854718875, 443861162.0 / 1856156927625,
        ];
        double s = x * x, sum = 0;
        for (int k = c.Length - 1; k >= 0; k--)
        {
            sum = sum * s + c[k];
        }
        return x * s * sum;
    }

    public static double Softplus(double t) => t > 0 ? t + Log1p(Math.Exp(-t)) : Log1p(Math.Exp(t));

    private const double GeluK = 0.79788456080286535588, Kappa = 0.044715;

    public static double GeluTanhZ(double x) => GeluK * (x + Kappa * x * x * x);

    public static double GeluTanh(double x) => x * Sigmoid(2 * GeluTanhZ(x));

    public static double GeluTanhDerivative(double x)
    {
        if (Math.Abs(x) > 1e30)
        {
            return x > 0 ? 1 : 0; // x³ would overflow; the tails are exactly 1 and 0 in double
        }
        double z = GeluTanhZ(x);
        return Sigmoid(2 * z) + 0.5 * x * Sech2(z) * GeluK * (1 + 3 * Kappa * x * x);
    }
}
