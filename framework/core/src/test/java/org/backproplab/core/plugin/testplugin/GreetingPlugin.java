package org.backproplab.core.plugin.testplugin;

import java.util.List;
import java.util.Optional;
import org.backproplab.core.plugin.testplugin.dependency.Greeting;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.Examples;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Plugin;
import org.backproplab.spi.Task;

/**
 * A plugin for the loader tests, packed into jars by {@code TestJars}: it needs {@link Greeting},
 * which the tests put in a separate dependency jar, or leave out.
 */
public final class GreetingPlugin implements Plugin {

    private final String greeting = Greeting.text(); // fails without the dependency jar

    @Override
    public List<DatasetFactory<?>> datasets() {
        return List.of(new DatasetFactory<NoParameters>() {
            @Override
            public String name() {
                return "greeting";
            }

            @Override
            public String description() {
                return greeting;
            }

            @Override
            public Class<NoParameters> parametersType() {
                return NoParameters.class;
            }

            @Override
            public Dataset create(NoParameters parameters, DatasetContext context) {
                Examples one = new Examples(new float[] {1}, 1, new float[] {0}, 1);
                return new Dataset(Task.REGRESSION, 1, one, Optional.empty());
            }
        });
    }
}
