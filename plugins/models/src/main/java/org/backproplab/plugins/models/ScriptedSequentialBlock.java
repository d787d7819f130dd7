package org.backproplab.plugins.models;

import ai.djl.nn.SequentialBlock;
import java.util.Optional;
import org.backproplab.spi.ScriptedModel;
import org.backproplab.spi.StepScript;

/** A {@link SequentialBlock} that is also written as TorchScript (or, for settings that are not, says so). */
final class ScriptedSequentialBlock extends SequentialBlock implements ScriptedModel {

    private final StepScript script;

    /** @param script the blocks' forward and backward pass once they are added; null if they cannot be written */
    ScriptedSequentialBlock(StepScript script) {
        this.script = script;
    }

    @Override
    public Optional<StepScript> stepScript() {
        return Optional.ofNullable(script);
    }
}
