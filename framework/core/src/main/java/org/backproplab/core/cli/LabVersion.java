package org.backproplab.core.cli;

import ai.djl.engine.Engine;
import picocli.CommandLine.IVersionProvider;

/** {@code ./lab --version}: the lab's and DJL's versions. */
public final class LabVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = LabVersion.class.getPackage().getImplementationVersion();
        return new String[] {"Backprop Lab " + (version == null ? "development" : version), "DJL " + Engine.getDjlVersion()};
    }
}
