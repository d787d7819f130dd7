package org.backproplab.core.config;

import org.backproplab.spi.Param;

/**
 * The {@code tracking:} section of an experiment file. As loaded, {@link #experiment()} and
 * {@link #runName()} are never null: absent, they are the experiment's name.
 *
 * @param experiment the MLflow experiment the run is logged to
 * @param uri the MLflow tracking URI; {@code null} leaves the launcher's default
 * @param runName the MLflow run name
 */
public record TrackingSettings(
        @Param(value = "MLflow experiment; defaults to the experiment's name", defaultValue = Param.NONE)
                String experiment,
        @Param(value = "MLflow tracking URI; absent means the launcher's default", defaultValue = Param.NONE)
                String uri,
        @Param(value = "MLflow run name; defaults to the experiment's name", defaultValue = Param.NONE)
                String runName) {

    /** These settings with the experiment's name wherever no MLflow experiment or run name was given. */
    public TrackingSettings withDefaultNames(String experimentName) {
        return new TrackingSettings(
                experiment != null ? experiment : experimentName, uri, runName != null ? runName : experimentName);
    }
}
