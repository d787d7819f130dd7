package org.backproplab.core.search;

/**
 * The standard normal distribution's log density and log probability mass of an interval, accurate in the tails
 * (where a Parzen kernel's truncation or an integer's bin can lie). StrictMath throughout: the same proposals on
 * every JVM.
 */
final class Gaussian {

    private static final double LOG_SQRT_2PI = 0.5 * StrictMath.log(2 * StrictMath.PI);
    /** Below this, Laplace's continued fraction; above, Marsaglia's series. */
    private static final double TAIL = -3;

    private Gaussian() {}

    static double logPdf(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** log Φ(x). */
    static double logCdf(double x) {
        if (x < TAIL) {
            // Φ(x) = φ(x) / (t + 1/(t + 2/(t + 3/(t + ...)))), t = -x: converges fast for t >= 3.
            double t = -x;
            double fraction = t;
            for (int k = 60; k >= 1; k--) {
                fraction = t + k / fraction;
            }
            return logPdf(x) - StrictMath.log(fraction);
        }
        return StrictMath.log(cdf(x));
    }

    /** Φ(x) by Marsaglia's series (2004), for x >= -3 where it keeps full relative precision. */
    static double cdf(double x) {
        if (Double.isNaN(x)) {
            return x; // the series below would never settle
        }
        if (x > 8.5) {
            return 1;
        }
        double sum = x;
        double term = x;
        double square = x * x;
        double previous = 0;
        for (int i = 3; sum != previous; i += 2) {
            previous = sum;
            term *= square / i;
            sum += term;
        }
        return 0.5 + sum * StrictMath.exp(logPdf(x));
    }

    /** log (Φ(b) - Φ(a)) for a <= b. */
    static double logMass(double a, double b) {
        if (a >= b) {
            return Double.NEGATIVE_INFINITY;
        }
        if (a > 0) {
            return logMass(-b, -a); // the same mass, in the left tail where logCdf is precise
        }
        if (b <= 0) {
            double logB = logCdf(b);
            double logA = logCdf(a);
            return logB + StrictMath.log1p(-StrictMath.exp(logA - logB));
        }
        // a <= 0 < b: the mass is at least the larger half's share; 1 - Φ(-a) - Φ(-b) has no cancellation.
        return StrictMath.log1p(-cdfOrTail(a) - cdfOrTail(-b));
    }

    private static double cdfOrTail(double x) {
        return x < TAIL ? StrictMath.exp(logCdf(x)) : cdf(x);
    }
}
