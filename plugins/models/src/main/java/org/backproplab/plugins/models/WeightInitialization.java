package org.backproplab.plugins.models;

import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;

/**
 * How weights start. DJL's XavierInitializer draws with scale √(magnitude / fan), so each scheme is
 * one (distribution, fan, magnitude) triple; for a convolution the fan is channels × kernel area.
 */
public enum WeightInitialization {
    /** DJL's default, He normal; LeCun normal for SELU, which needs it to self-normalise. */
    DEFAULT,
    /** Glorot uniform (Glorot and Bengio 2010): U(−√(6/(in+out)), +√(6/(in+out))). */
    XAVIER,
    /** Glorot normal: N(0, 2/(in+out)). */
    XAVIER_NORMAL,
    /** He normal (He et al. 2015): N(0, 2/in). */
    HE,
    /** He uniform: U(−√(6/in), +√(6/in)). */
    HE_UNIFORM,
    /** LeCun normal: N(0, 1/in), the initialisation SELU's fixed point assumes (Klambauer et al. 2017). */
    LECUN_NORMAL,
    /** N(0, std²) with the model's {@code std}. */
    NORMAL;

    /** The initializer, or null to keep DJL's default. */
    Initializer initializer(double std, ActivationFunction activation) {
        return switch (this) {
            case DEFAULT -> activation == ActivationFunction.SELU ? LECUN_NORMAL.initializer(std, activation) : null;
            case XAVIER -> new XavierInitializer(RandomType.UNIFORM, FactorType.AVG, 3f);
            case XAVIER_NORMAL -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.AVG, 1f);
            case HE -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2f);
            case HE_UNIFORM -> new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 6f);
            case LECUN_NORMAL -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 1f);
            case NORMAL -> new NormalInitializer((float) std);
        };
    }
}
