package org.backproplab.plugins.metrics;

/** A score of one class from its true positives, false positives and false negatives; 0 where it divides by 0. */
enum ClassScore {
    /** tp / (tp + fp): how many of the examples predicted as the class are of it. */
    PRECISION("precision", "precision", "how many of the examples predicted as a class are of it, tp / (tp + fp)"),
    /** tp / (tp + fn): how many of the class's examples are predicted as it. */
    RECALL("recall", "recall", "how many of a class's examples are found, tp / (tp + fn)"),
    /** 2tp / (2tp + fp + fn): the harmonic mean of precision and recall. */
    F1("f1", "F1", "the harmonic mean of precision and recall, 2tp / (2tp + fp + fn)");

    private final String key;
    private final String title;
    private final String meaning;

    ClassScore(String key, String title, String meaning) {
        this.key = key;
        this.title = title;
        this.meaning = meaning;
    }

    /** The component's name and the prefix of its metric keys. */
    String key() {
        return key;
    }

    /** The score's name in prose: {@code F1}. */
    String title() {
        return title;
    }

    String meaning() {
        return meaning;
    }

    double of(long truePositives, long falsePositives, long falseNegatives) {
        long denominator = switch (this) {
            case PRECISION -> truePositives + falsePositives;
            case RECALL -> truePositives + falseNegatives;
            case F1 -> 2 * truePositives + falsePositives + falseNegatives;
        };
        long numerator = this == F1 ? 2 * truePositives : truePositives;
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
