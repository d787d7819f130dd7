package org.backproplab.core.plugin;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.backproplab.spi.ComponentFactory;
import org.backproplab.spi.Plugin;

/** The kinds of component an experiment is made of, and where each appears in the experiment file. */
public enum ComponentKind {
    DATASET("dataset", "dataset", Placement.BLOCK, Plugin::datasets),
    MODEL("model", "model", Placement.BLOCK, Plugin::models),
    LOSS("loss", "loss", Placement.BLOCK, Plugin::losses),
    OPTIMIZER("optimizer", "optimizer", Placement.BLOCK, Plugin::optimizers),
    SCHEDULE("optimizer.schedule", "schedule", Placement.NESTED, Plugin::schedules),
    METRIC("metrics", "metric", Placement.LIST, Plugin::metrics),
    CALLBACK("callbacks", "callback", Placement.LIST, Plugin::callbacks);

    /** How a kind's components are written in the experiment file. */
    public enum Placement {
        /** One required top-level block, {@code dataset: {type: ...}}. */
        BLOCK,
        /** One optional block inside another kind's block, {@code optimizer: {schedule: {type: ...}}}. */
        NESTED,
        /** An optional top-level list of blocks or bare names, {@code metrics: [accuracy, {type: top_k, k: 5}]}. */
        LIST
    }

    private final String key;
    private final String noun;
    private final Placement placement;
    private final Function<Plugin, List<? extends ComponentFactory<?>>> contributions;

    ComponentKind(String key, String noun, Placement placement, Function<Plugin, List<? extends ComponentFactory<?>>> contributions) {
        this.key = key;
        this.noun = noun;
        this.placement = placement;
        this.contributions = contributions;
    }

    /** The dotted path of this kind's block or list in the experiment file, e.g. {@code optimizer.schedule}. */
    public String key() {
        return key;
    }

    /** The kind in words, singular: {@code dataset}, {@code schedule}, {@code metric}. */
    public String noun() {
        return noun;
    }

    public Placement placement() {
        return placement;
    }

    /** The factories of this kind a plugin contributes. */
    public List<? extends ComponentFactory<?>> contributions(Plugin plugin) {
        return contributions.apply(plugin);
    }

    /** The kinds written with a given placement, in declaration order. */
    public static List<ComponentKind> placed(Placement placement) {
        return Arrays.stream(values()).filter(kind -> kind.placement == placement).toList();
    }
}
