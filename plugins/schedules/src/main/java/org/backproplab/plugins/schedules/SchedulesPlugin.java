package org.backproplab.plugins.schedules;

import java.util.List;
import org.backproplab.spi.Plugin;
import org.backproplab.spi.ScheduleFactory;

/** The built-in learning-rate schedules, each computing its factor as its {@code torch.optim.lr_scheduler} counterpart. */
public final class SchedulesPlugin implements Plugin {

    @Override
    public List<ScheduleFactory<?>> schedules() {
        return List.of(new ConstantScheduleFactory(), new StepScheduleFactory(), new ExponentialScheduleFactory(),
                new CosineScheduleFactory());
    }
}
