package org.backproplab.core.training;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.ScriptedModel;
import org.backproplab.spi.StepScript;
import org.backproplab.spi.TorchScriptArchive;
import org.backproplab.spi.UpdateScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward pass, the loss and the backward pass of a training step in one engine call: the model's and the loss's
 * {@link StepScript}s joined into one TorchScript method. DJL's eager step makes one call from Java per operator and
 * records autograd's graph to walk it back; the script does neither (see README, Training speed, for what it saves).
 * The gradients are added to the parameters' own, as autograd's backward adds them, or written into them where the
 * model's backward does so itself ({@code out=into_pN}, see {@link StepScript}), and are the same bit for bit (tested).
 */
final class ScriptedStep implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedStep.class);

    /** Compiled modules by source: a sweep's trials of one network share one. */
    private static final Map<String, PtSymbolBlock> MODULES = new ConcurrentHashMap<>();

    /** Off with {@code LAB_SCRIPTED_STEP=off} (or {@code -Dlab.scripted.step=off}): every step then runs eagerly. */
    static boolean enabled() {
        String setting = System.getProperty("lab.scripted.step", System.getenv().getOrDefault("LAB_SCRIPTED_STEP", "on"));
        return !setting.equalsIgnoreCase("off");
    }

    /**
     * Off with {@code LAB_UPDATE_IN_STEP=off} (or {@code -Dlab.update.in.step=off}): the optimizer's update then always
     * runs in a call of its own.
     */
    static boolean updatesInStep() {
        String setting = System.getProperty("lab.update.in.step", System.getenv().getOrDefault("LAB_UPDATE_IN_STEP", "on"));
        return !setting.equalsIgnoreCase("off");
    }

    private final PtSymbolBlock module;
    private final String source;
    /** Whether the module also has {@code step_update}, the step followed by the optimizer's update. */
    private final boolean updates;
    /** Statements zeroing the gradients the step adds to (not those its backward writes over), after an update. */
    private final String zeroingAdded;
    private final Arguments arguments = new Arguments();

    private ScriptedStep(PtSymbolBlock module, String source, boolean updates, String zeroingAdded) {
        this.module = module;
        this.source = source;
        this.updates = updates;
        this.zeroingAdded = zeroingAdded;
    }

    /**
     * The scripted step of a model and loss, when both are written as TorchScript.
     *
     * @param trained for each of the block's parameters, in order, whether it is trained (has a gradient)
     */
    static Optional<ScriptedStep> of(Block block, LossFunction loss, List<Boolean> trained) {
        if (!enabled() || !(block instanceof ScriptedModel scripted) || trained.size() != block.getParameters().size()) {
            return Optional.empty();
        }
        Optional<StepScript> model = scripted.stepScript();
        Optional<StepScript> objective = loss.stepScript();
        if (model.isEmpty() || objective.isEmpty()) {
            return Optional.empty();
        }
        String source = method(model.get(), objective.get(), trained);
        try {
            return Optional.of(new ScriptedStep(MODULES.computeIfAbsent(source, ScriptedStep::load), source, false,
                    zeroingAdded(model.get(), trained)));
        } catch (EngineException e) {
            // A plugin's statements that TorchScript refuses cost speed, not the run: DJL's eager step trains the same.
            LOG.warn("the model's and loss's TorchScript does not compile, training eagerly: {}",
                    e.getMessage().lines().findFirst().orElse(""));
            LOG.debug("the TorchScript that did not compile:\n{}", source, e);
            return Optional.empty();
        }
    }

    /**
     * This step with a third method, {@code step_update}: the step, then the optimizer's update in the same call; empty
     * (with a warning) when TorchScript refuses the update's statements, which leaves the update a call of its own.
     */
    Optional<ScriptedStep> withUpdate(UpdateScript update) {
        String updating = source + updateMethod(update);
        try {
            return Optional.of(new ScriptedStep(MODULES.computeIfAbsent(updating, ScriptedStep::load), updating, true,
                    zeroingAdded));
        } catch (EngineException e) {
            LOG.warn("the optimizer's TorchScript update does not compile, updating in a call of its own: {}",
                    e.getMessage().lines().findFirst().orElse(""));
            LOG.debug("the TorchScript that did not compile:\n{}", updating, e);
            return Optional.empty();
        }
    }

    /**
     * {@code step_update}: {@code step}'s body (its return last), then the update's statements, then the gradients that
     * the next step adds to zeroed.
     */
    private String updateMethod(UpdateScript update) {
        String step = source.substring(source.indexOf(STEP_SIGNATURE_END) + STEP_SIGNATURE_END.length(),
                source.indexOf(EVALUATE_SIGNATURE));
        int returned = step.lastIndexOf("    return ");
        StringBuilder arguments = new StringBuilder();
        update.stateNames().forEach(name -> arguments.append(", ").append(name).append(": List[Tensor]"));
        update.hyperparameterNames().forEach(name -> arguments.append(", ").append(name).append(": float"));
        return "  def step_update(self: __torch__.Step, input: Tensor, target: Tensor, params: List[Tensor], "
                + "grads: List[Tensor], weights: List[Tensor]" + arguments + ") -> List[Tensor]:\n"
                + step.substring(0, returned) + indented(statements(update.statements())) + indented(zeroingAdded)
                + step.substring(returned);
    }

    /**
     * Zeroes, in {@code step_update}, the gradients {@code step} adds to: every one where the model's backward writes
     * none itself, else those it does not write.
     */
    static String zeroingAdded(StepScript model, List<Boolean> trained) {
        Set<Integer> writtenInPlace = writtenInPlace(model.backward());
        if (writtenInPlace.isEmpty()) {
            return "torch._foreach_zero_(grads)\n";
        }
        StringBuilder zeroing = new StringBuilder();
        for (int j : addedPositions(trainedIndices(trained), writtenInPlace)) {
            zeroing.append("torch.zero_(grads[").append(j).append("])\n");
        }
        return zeroing.toString();
    }

    /** The indices, among all of the block's parameters, of those trained: {@code grads}' order. */
    private static List<Integer> trainedIndices(List<Boolean> trained) {
        return IntStream.range(0, trained.size()).filter(trained::get).boxed().toList();
    }

    /** The positions in {@code grads} of the gradients the step adds, those the model's backward does not write. */
    private static List<Integer> addedPositions(List<Integer> trainedIndices, Set<Integer> writtenInPlace) {
        return IntStream.range(0, trainedIndices.size()).filter(j -> !writtenInPlace.contains(trainedIndices.get(j)))
                .boxed().toList();
    }

    private static final String STEP_SIGNATURE_END = "grads: List[Tensor]) -> List[Tensor]:\n";
    private static final String EVALUATE_SIGNATURE = "  def evaluate(";

    /**
     * The module's two methods: {@code step} unpacks the parameters (and, as {@code into_pN}, the gradient arrays the
     * model's backward writes itself), runs the parts' statements in order, adds the other trained parameters'
     * gradients and returns output and loss; {@code evaluate} runs the model's evaluation forward
     * pass and the loss.
     */
    static String method(StepScript model, StepScript loss, List<Boolean> trained) {
        StringBuilder unpacked = new StringBuilder();
        for (int i = 0; i < trained.size(); i++) {
            unpacked.append("p").append(i).append(" = params[").append(i).append("]\n");
        }
        Set<Integer> writtenInPlace = writtenInPlace(model.backward());
        StringBuilder body = new StringBuilder(unpacked);
        List<Integer> trainedIndices = trainedIndices(trained);
        for (int j = 0; j < trainedIndices.size(); j++) {
            if (writtenInPlace.contains(trainedIndices.get(j))) {
                body.append("into_p").append(trainedIndices.get(j)).append(" = grads[").append(j).append("]\n");
            }
        }
        body.append(statements(model.forward()))
                .append(statements(loss.forward()))
                .append(statements(loss.backward()))
                .append(statements(model.backward()));
        if (writtenInPlace.isEmpty()) {
            // The input list itself, not a literal of its elements: TorchScript drops an in-place change of a literal.
            body.append("torch._foreach_add_(grads, [").append(trainedIndices.stream().map(i -> "grad_p" + i)
                    .collect(Collectors.joining(", "))).append("])\n");
        } else {
            for (int j : addedPositions(trainedIndices, writtenInPlace)) {
                body.append("torch.add_(grads[").append(j).append("], grad_p").append(trainedIndices.get(j))
                        .append(")\n");
            }
        }
        body.append("return [output, loss]\n");
        StringBuilder evaluation = new StringBuilder(unpacked)
                .append(statements(model.evaluation()))
                .append(statements(loss.forward()))
                .append("return [output, loss]\n");
        return """
                  def step(self: __torch__.Step, input: Tensor, target: Tensor, params: List[Tensor], \
                grads: List[Tensor]) -> List[Tensor]:
                """ + indented(body) + """
                  def evaluate(self: __torch__.Step, input: Tensor, target: Tensor, params: List[Tensor]) \
                -> List[Tensor]:
                """ + indented(evaluation);
    }

    private static final Pattern IN_PLACE = Pattern.compile("\\bout\\s*=\\s*into_p(\\d+)\\b");

    /** The parameters whose gradient a model's backward writes into its array itself ({@code out=into_pN}). */
    static Set<Integer> writtenInPlace(String backward) {
        Set<Integer> written = new TreeSet<>();
        Matcher matcher = IN_PLACE.matcher(backward);
        while (matcher.find()) {
            written.add(Integer.parseInt(matcher.group(1)));
        }
        return written;
    }

    /** A part's statements without their common indentation (blocks within keep theirs), one per line. */
    private static String statements(String part) {
        return part.stripIndent().lines().filter(line -> !line.isBlank()).map(line -> line + "\n")
                .collect(Collectors.joining());
    }

    /** Statements as a method's body: four spaces deeper. */
    private static String indented(CharSequence statements) {
        return statements.toString().lines().map(line -> "    " + line + "\n").collect(Collectors.joining());
    }

    private static PtSymbolBlock load(String method) {
        try {
            return JniUtils.loadModule((PtNDManager) NDManager.newBaseManager("PyTorch"),
                    new ByteArrayInputStream(TorchScriptArchive.of("Step", method)), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array
        }
    }

    /**
     * One step: adds each trained parameter's gradient of the batch's loss to {@code gradients} and returns the
     * model's output and the loss, in {@code manager}.
     *
     * @param parameters every parameter's array, in the block's order
     * @param gradients the trained parameters' gradients, in the same order
     */
    NDList run(NDArray input, NDArray target, List<NDArray> parameters, List<NDArray> gradients, NDManager manager) {
        return call("step", manager, input, target, arguments.list(PARAMETERS, parameters),
                arguments.list(GRADIENTS, gradients));
    }

    /**
     * One step and the optimizer's update after it, in one call (a step {@link #withUpdate}): as {@link #run}, then
     * the update's statements with {@code weights} (the trained parameters, in the gradients' order) and this step's
     * arguments.
     */
    NDList runUpdating(NDArray input, NDArray target, List<NDArray> parameters, List<NDArray> gradients,
            List<NDArray> weights, UpdateScript.Arguments update, NDManager manager) {
        if (!updates) {
            throw new IllegalStateException("this step has no update: make it withUpdate");
        }
        List<IValue> rest = new ArrayList<>();
        rest.add(arguments.list(PARAMETERS, parameters));
        rest.add(arguments.list(GRADIENTS, gradients));
        rest.add(arguments.list(WEIGHTS, weights));
        List<List<NDArray>> states = update.states();
        for (int i = 0; i < states.size(); i++) {
            rest.add(arguments.list(FIRST_STATE + i, states.get(i)));
        }
        List<Double> hyperparameters = update.hyperparameters();
        for (int i = 0; i < hyperparameters.size(); i++) {
            rest.add(arguments.number(i, hyperparameters.get(i)));
        }
        return call("step_update", manager, input, target, rest.toArray(IValue[]::new));
    }

    /**
     * The model's output and the loss of a batch in evaluation, without gradients: what DJL's forward pass (not in
     * training) and loss compute, in one call.
     */
    NDList evaluate(NDArray input, NDArray target, List<NDArray> parameters, NDManager manager) {
        return call("evaluate", manager, input, target, arguments.list(PARAMETERS, parameters));
    }

    /** Frees the arguments kept for the next call. */
    @Override
    public void close() {
        arguments.close();
    }

    /**
     * Runs {@code method} on the batch and the kept arguments {@code rest}, and returns its (output, loss) as arrays of
     * {@code manager} that callbacks and metrics may use as any other: the module runs in PyTorch's inference mode,
     * whose own arrays refuse autograd and changes in place, so these are copies (a batch's outputs and one number).
     */
    private NDList call(String method, NDManager manager, NDArray input, NDArray target, IValue... rest) {
        IValue[] inputs = new IValue[rest.length + 2];
        System.arraycopy(rest, 0, inputs, 2, rest.length);
        try (IValue features = IValue.from((PtNDArray) input); IValue targets = IValue.from((PtNDArray) target)) {
            inputs[0] = features;
            inputs[1] = targets;
            try (IValue result = IValueUtils.runMethod(module, method, inputs);
                    NDList inference = result.toNDList((PtNDManager) manager)) {
                NDList outputs = new NDList(inference.get(0).duplicate(), inference.get(1).duplicate());
                outputs.attach(manager);
                return outputs;
            }
        }
    }

    /** Slots of the kept list arguments: the parameters, the gradients, the trained weights, then the update's states. */
    private static final int PARAMETERS = 0;
    private static final int GRADIENTS = 1;
    private static final int WEIGHTS = 2;
    private static final int FIRST_STATE = 3;

    /**
     * The engine's values of the list and float arguments of the last call, reused while they hold the same arrays
     * (the same objects: a step's parameters, gradients and optimizer states change in place) and the same numbers.
     * Making and freeing them each step took about 30 of a step's 1,400 microseconds ({@code ./lab bench step}, one
     * thread, 2026-12-06).
     */
    private static final class Arguments implements AutoCloseable {
        private final Map<Integer, List<NDArray>> arrays = new HashMap<>();
        private final Map<Integer, IValue> lists = new HashMap<>();
        private final Map<Integer, Double> numbers = new HashMap<>();
        private final Map<Integer, IValue> numberValues = new HashMap<>();

        IValue list(int slot, List<NDArray> current) {
            IValue kept = lists.get(slot);
            if (kept != null && sameObjects(arrays.get(slot), current)) {
                return kept;
            }
            if (kept != null) {
                kept.close();
            }
            IValue made = ScriptedStep.list(current);
            lists.put(slot, made);
            arrays.put(slot, new ArrayList<>(current));
            return made;
        }

        IValue number(int slot, double value) {
            IValue kept = numberValues.get(slot);
            if (kept != null && Double.doubleToRawLongBits(numbers.get(slot)) == Double.doubleToRawLongBits(value)) {
                return kept;
            }
            if (kept != null) {
                kept.close();
            }
            IValue made = IValue.from(value);
            numberValues.put(slot, made);
            numbers.put(slot, value);
            return made;
        }

        private static boolean sameObjects(List<NDArray> kept, List<NDArray> current) {
            if (kept.size() != current.size()) {
                return false;
            }
            for (int i = 0; i < kept.size(); i++) {
                if (kept.get(i) != current.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            lists.values().forEach(IValue::close);
            numberValues.values().forEach(IValue::close);
            lists.clear();
            arrays.clear();
            numberValues.clear();
            numbers.clear();
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(array -> (PtNDArray) array).toArray(PtNDArray[]::new));
    }
}
