package org.backproplab.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import org.backproplab.core.config.ModelInitial;
import org.backproplab.spi.Examples;
import org.junit.jupiter.api.Test;

/** The gradient check on the real engine: it passes a correct network and names the layer of a wrong backward pass. */
class GradientCheckTest {

    private static final Examples POINTS = new Examples(
            new float[] {0.5f, 0.8f, -0.2f, 0.2f, 0.3f, -0.9f, 1.0f, 0.1f, -0.4f, -0.6f, 0.7f, 0.7f}, 3,
            new float[] {1f, 0f, 0.5f, -1f}, 1);

    @Test
    void aCorrectNetworkPassesInEveryLayer() {
        GradientCheck.Result result = GradientCheck.check(network(Activation.sigmoidBlock()), ModelInitial.NONE,
                Loss.l2Loss(), POINTS, 3, GradientCheck.Options.DEFAULT);
        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(result.worstByLayer()).containsOnlyKeys("layer_01", "layer_02");
        assertThat(result.worstByLayer().values()).allSatisfy(error -> assertThat(error).isLessThan(1e-6));
        assertThat(result.parameters()).hasSize(4).allSatisfy(p -> assertThat(p.checked()).isEqualTo((int) p.shape().size()));
        assertThat(result.describe()).contains("PASSED");
    }

    @Test
    void aWrongBackwardPassFailsNamingTheLayersBelowIt() {
        // Forward σ(x), backward as if it were the identity: the straight-through trick, here a bug.
        LambdaBlock wrong = new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            return new NDList(x.add(Activation.sigmoid(x).sub(x).stopGradient()));
        }, "wrong_sigmoid");
        GradientCheck.Result result = GradientCheck.check(network(wrong), ModelInitial.NONE, Loss.l2Loss(), POINTS, 3,
                GradientCheck.Options.DEFAULT);
        assertThat(result.passed()).isFalse();
        // The output layer's gradient does not go through the bad block; the first layer's does.
        assertThat(result.worstByLayer().get("layer_02")).isLessThan(1e-6);
        assertThat(result.worstByLayer().get("layer_01")).isGreaterThan(1e-2);
        assertThat(result.describe()).contains("FAILED: the gradient of layer_01 disagrees with finite differences");
    }

    @Test
    void largeParametersAreSampled() {
        SequentialBlock wide = new SequentialBlock().add(Linear.builder().setUnits(40).build()).add(Activation.tanhBlock())
                .add(Linear.builder().setUnits(1).build());
        GradientCheck.Result result = GradientCheck.check(wide, ModelInitial.NONE, Loss.l2Loss(), POINTS, 3,
                new GradientCheck.Options(4, 10, 1e-5, 1e-4));
        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(result.parameters().get(0).checked()).isEqualTo(10); // 120 elements, 10 checked
        assertThat(result.parameters().get(2).checked()).isEqualTo(10);
        assertThat(result.parameters().get(3).checked()).isEqualTo(1);
    }

    private static SequentialBlock network(ai.djl.nn.Block activation) {
        return new SequentialBlock().add(Linear.builder().setUnits(4).build()).add(activation)
                .add(Linear.builder().setUnits(1).build());
    }
}
