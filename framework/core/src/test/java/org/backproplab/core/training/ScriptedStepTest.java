package org.backproplab.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.L2Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.ScriptedModel;
import org.backproplab.spi.StepScript;
import org.junit.jupiter.api.Test;

/**
 * The scripted step's module, from parts a plugin writes: a one-layer model and a sum-of-squares loss run as one call
 * and add their gradients to the parameters' own; statements TorchScript refuses leave the step eager.
 */
class ScriptedStepTest {

    /** A Linear layer that says how to write itself. */
    private static final class ScriptedLinear extends SequentialBlock implements ScriptedModel {
        private final StepScript script;

        ScriptedLinear(StepScript script) {
            this.script = script;
            add(Linear.builder().setUnits(1).build());
        }

        @Override
        public Optional<StepScript> stepScript() {
            return Optional.of(script);
        }
    }

    private static final StepScript LINEAR = new StepScript("""
            output = torch.linear(input, p0, p1)
            """, """
            grad_p0 = torch.mm(torch.t(grad_output), input)
            grad_p1 = torch.sum(grad_output, [0])
            """);

    /** ½ Σ (y - t)², whose gradient is y - t. */
    private static final LossFunction HALF_SQUARES = LossFunction.of(new L2Loss(), output -> output, new StepScript("""
            loss_diff = torch.sub(output, target)
            loss = torch.mul(torch.sum(torch.mul(loss_diff, loss_diff)), 0.5)
            """, """
            grad_output = loss_diff
            """));

    @Test
    void runsThePartsAsOneCallAndAddsTheGradients() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ScriptedLinear block = new ScriptedLinear(LINEAR);
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 2));
            List<NDArray> weights = new ArrayList<>();
            block.getParameters().forEach(entry -> weights.add(entry.getValue().getArray()));
            weights.get(0).set(new float[] {1, 2}); // w = [1, 2], b = 0
            List<NDArray> gradients = List.of(manager.ones(new Shape(1, 2)), manager.ones(new Shape(1)));

            ScriptedStep step = ScriptedStep.of(block, HALF_SQUARES, List.of(true, true)).orElseThrow();
            NDArray input = manager.create(new float[] {1, 1, 2, 0}, new Shape(2, 2));
            NDArray target = manager.create(new float[] {2, 1}, new Shape(2, 1));
            NDList result = step.run(input, target, weights, gradients, manager);

            // y = (3, 2), y - t = (1, 1): loss 1; dw = Σ (y - t) x = (3, 1), db = 2, each added to the 1 already there.
            assertThat(result.get(0).toFloatArray()).containsExactly(3, 2);
            assertThat(result.get(1).getFloat()).isEqualTo(1f);
            assertThat(gradients.get(0).toFloatArray()).containsExactly(4, 2);
            assertThat(gradients.get(1).toFloatArray()).containsExactly(3);
            // The evaluation method: the same forward pass and loss, nothing added to the gradients.
            NDList evaluated = step.evaluate(input, target, weights, manager);
            assertThat(evaluated.get(1).getFloat()).isEqualTo(1f);
            assertThat(gradients.get(1).toFloatArray()).containsExactly(3);
            assertThat(block.forward(new ParameterStore(manager, false), new NDList(input), false).singletonOrThrow()
                    .toFloatArray()).containsExactly(3, 2);
            // Arrays like any other for callbacks and metrics: PyTorch refuses in-place changes of its inference arrays.
            assertThat(result.get(0).addi(1).toFloatArray()).containsExactly(4, 3);
            assertThat(evaluated.get(0).addi(1).toFloatArray()).containsExactly(4, 3);
        }
    }

    @Test
    void aGradientTheBackwardWritesInPlaceReplacesWhatWasThere() {
        // The weight's gradient written into its array (out=into_p0), the bias's added as autograd would.
        StepScript inPlace = new StepScript(LINEAR.forward(), """
                grad_p0 = torch.mm(torch.t(grad_output), input, out=into_p0)
                grad_p1 = torch.sum(grad_output, [0])
                """);
        assertThat(ScriptedStep.writtenInPlace(inPlace.backward())).containsExactly(0);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ScriptedLinear block = new ScriptedLinear(inPlace);
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 2));
            List<NDArray> weights = new ArrayList<>();
            block.getParameters().forEach(entry -> weights.add(entry.getValue().getArray()));
            weights.get(0).set(new float[] {1, 2});
            List<NDArray> gradients = List.of(manager.ones(new Shape(1, 2)), manager.ones(new Shape(1)));
            ScriptedStep step = ScriptedStep.of(block, HALF_SQUARES, List.of(true, true)).orElseThrow();
            step.run(manager.create(new float[] {1, 1, 2, 0}, new Shape(2, 2)),
                    manager.create(new float[] {2, 1}, new Shape(2, 1)), weights, gradients, manager);
            assertThat(gradients.get(0).toFloatArray()).containsExactly(3, 1);
            assertThat(gradients.get(1).toFloatArray()).containsExactly(3);
        }
    }

    @Test
    void blocksWithinAPartKeepTheirIndentation() {
        StepScript branching = new StepScript("""
                if torch.numel(input) > 0:
                    output = torch.linear(input, p0, p1)
                else:
                    output = input
                """, LINEAR.backward());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ScriptedLinear block = new ScriptedLinear(branching);
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 2));
            List<NDArray> weights = new ArrayList<>();
            block.getParameters().forEach(entry -> weights.add(entry.getValue().getArray()));
            weights.get(0).set(new float[] {1, 2});
            ScriptedStep step = ScriptedStep.of(block, HALF_SQUARES, List.of(true, true)).orElseThrow();
            NDList evaluated = step.evaluate(manager.create(new float[] {1, 1, 2, 0}, new Shape(2, 2)),
                    manager.create(new float[] {2, 1}, new Shape(2, 1)), weights, manager);
            assertThat(evaluated.get(0).toFloatArray()).containsExactly(3, 2);
        }
    }

    @Test
    void statementsTorchScriptRefusesLeaveTheStepEager() {
        StepScript broken = new StepScript("output = torch.no_such_operator(input, p0, p1)\n", LINEAR.backward());
        assertThat(ScriptedStep.of(new ScriptedLinear(broken), HALF_SQUARES, List.of(true, true))).isEmpty();
    }

    @Test
    void aMaskThatIsNotTheBlocksParametersLeavesTheStepEager() {
        assertThat(ScriptedStep.of(new ScriptedLinear(LINEAR), HALF_SQUARES, List.of(true))).isEmpty();
    }
}
