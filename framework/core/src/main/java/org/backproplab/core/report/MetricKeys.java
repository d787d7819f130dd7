package org.backproplab.core.report;

import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric and parameter names the trainer logs, and how per-layer keys are numbered. */
final class MetricKeys {

    static final String TRAIN_LOSS = "train/loss";
    static final String EVAL_LOSS = "eval/loss";
    static final String EVAL_ACCURACY = "eval/accuracy";
    static final String GRAD_NORM_PREFIX = "grad_norm/";

    static final String DEPTH = "model.depth";
    static final String ACTIVATION = "model.activation";
    static final String INIT = "model.init";
    static final String LEARNING_RATE = "optimizer.lr";

    /** {@code grad_norm/layer_01}: layer 1 is next to the input. */
    private static final Pattern GRAD_NORM_LAYER = Pattern.compile("grad_norm/layer_(\\d+)");

    private MetricKeys() {}

    /** The layer number of a {@code grad_norm/layer_NN} key, or empty for any other key. */
    static OptionalInt gradNormLayer(String key) {
        Matcher matcher = GRAD_NORM_LAYER.matcher(key);
        if (!matcher.matches()) {
            return OptionalInt.empty();
        }
        int layer = Integer.parseInt(matcher.group(1));
        return layer > 0 ? OptionalInt.of(layer) : OptionalInt.empty();
    }

    /** A metric name usable in a file name: {@code eval/accuracy -> eval-accuracy}. */
    static String fileSafe(String name) {
        String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return safe.isEmpty() ? "metric" : safe;
    }
}
