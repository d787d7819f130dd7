package org.backproplab.core.config;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.backproplab.spi.Param;

/**
 * The {@code training:} section of an experiment file.
 *
 * @param epochs passes over the training data
 * @param batchSize examples per gradient step
 * @param logEvery steps between logged metrics
 * @param shuffle whether the training data is shuffled every epoch
 * @param device where to train: {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param threads PyTorch intra-op threads; {@code null} leaves the launcher's default
 * @param earlyStopping when to stop before the last epoch; {@code null}: never
 * @param clipGradNorm the largest global L2 norm of all gradients together; {@code null}: no limit
 * @param clipGradValue the largest absolute value of a gradient element; {@code null}: no limit
 */
public record TrainingSettings(
        @Param(value = "passes over the training data", defaultValue = "1") @Positive int epochs,
        @Param(value = "examples per gradient step", defaultValue = "32") @Positive int batchSize,
        @Param(value = "steps between logged metrics", defaultValue = "50") @Positive int logEvery,
        @Param(value = "shuffle the training data every epoch", defaultValue = "true") boolean shuffle,
        @Param(value = "where to train: auto, cpu, gpu or gpu:N", defaultValue = "auto")
                @Pattern(regexp = "auto|cpu|gpu(:\\d+)?", message = "must be auto, cpu, gpu or gpu:N such as gpu:0")
                String device,
        @Param(value = "PyTorch intra-op threads; absent means the launcher's default", defaultValue = Param.NONE)
                @Positive Integer threads,
        @Param(value = "stop once a metric stops improving, e.g. {metric: eval/loss, patience: 5}; absent: never",
                defaultValue = Param.NONE)
                EarlyStopping earlyStopping,
        @Param(value = "scale all gradients together so their global L2 norm is at most this (PyTorch's clip_grad_norm_); "
                + "absent: no limit", defaultValue = Param.NONE)
                @Positive Double clipGradNorm,
        @Param(value = "clamp every gradient element to [-clip_grad_value, clip_grad_value]; absent: no limit",
                defaultValue = Param.NONE)
                @Positive Double clipGradValue) {

    /** Settings without early stopping or clipping. */
    public TrainingSettings(int epochs, int batchSize, int logEvery, boolean shuffle, String device, Integer threads) {
        this(epochs, batchSize, logEvery, shuffle, device, threads, null, null, null);
    }
}
