package org.backproplab.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.backproplab.core.config.ModelInitial;
import org.backproplab.core.config.SourcePosition;
import org.junit.jupiter.api.Test;

/** Given start values on a real DJL block: written where they belong, kept by the trainer, or refused naming both shapes. */
class InitialParametersTest {

    @Test
    void givenValuesReplaceTheInitialisersAndSurviveTheTrainersInitialisation() {
        SequentialBlock block = network();
        ModelInitial initial = new ModelInitial(Map.of(
                "layer_01", new ModelInitial.Layer("layer_01", Optional.of(tensor("w1", 7, List.of(2L, 3L), 1, 2, 3, 4, 5, 6)),
                        Optional.of(tensor("b1", 7, List.of(2L), 0.5, -0.5))),
                "layer_02", new ModelInitial.Layer("layer_02", Optional.empty(), Optional.of(tensor("b2", 8, List.of(1L), 9)))));
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                Model model = Model.newInstance("given", manager.getDevice(), "PyTorch")) {
            InitialParameters.initialiseAndApply(block, initial, manager, new Shape(3));
            float[] otherWeight = block.getParameters().get("03Linear_weight").getArray().toFloatArray();
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 3));
                assertThat(block.getParameters().get("01Linear_weight").getArray().toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
                assertThat(block.getParameters().get("01Linear_bias").getArray().toFloatArray()).containsExactly(0.5f, -0.5f);
                assertThat(block.getParameters().get("03Linear_bias").getArray().toFloatArray()).containsExactly(9);
                // Not given: as the initialiser made it.
                assertThat(block.getParameters().get("03Linear_weight").getArray().toFloatArray()).containsExactly(otherWeight);
                assertThat(block.getParameters().get("01Linear_weight").getArray().hasGradient()).isTrue();
            }
        }
    }

    @Test
    void everyValueThatDoesNotFitIsNamedWithBothShapesBeforeAnythingIsWritten() {
        SequentialBlock block = network();
        Map<String, ModelInitial.Layer> layers = new java.util.LinkedHashMap<>();
        layers.put("layer_01", new ModelInitial.Layer("layer_01", Optional.of(tensor("model.initial.layer_01.weight", 7,
                List.of(3L, 2L), 1, 2, 3, 4, 5, 6)), Optional.of(tensor("model.initial.layer_01.bias", 8, List.of(2L), 7, 7))));
        layers.put("layer_03", new ModelInitial.Layer("layer_03", Optional.empty(), Optional.of(tensor("model.initial.layer_03.bias",
                9, List.of(1L), 1))));
        ModelInitial initial = new ModelInitial(layers);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> InitialParameters.initialiseAndApply(block, initial, manager, new Shape(3)))
                    .isInstanceOf(UserFacingException.class)
                    .hasMessage("given.yaml:7:3: model.initial.layer_01.weight: shape (3, 2) does not fit layer_01's weight"
                            + " 01Linear_weight, whose shape is (2, 3) (a weight is written as 2 rows of 3: one row per output"
                            + " unit, one column per input)\n"
                            + "given.yaml:9:3: model.initial.layer_03: the model has 2 layers (layer_01 to layer_02), no layer_03");
            assertThat(block.getParameters().get("01Linear_bias").getArray().toFloatArray()).containsExactly(0, 0);
        }
    }

    private static SequentialBlock network() {
        return new SequentialBlock().add(Linear.builder().setUnits(2).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());
    }

    private static ModelInitial.Tensor tensor(String path, int line, List<Long> shape, double... values) {
        return new ModelInitial.Tensor(path, new SourcePosition("given.yaml", line, 3), shape, values);
    }
}
