package org.backproplab.core.cli;

import ai.djl.engine.Engine;
import org.backproplab.core.run.RunProvenance;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code ./lab --version}: the lab's version (from the build) and git commit (of the checkout it runs from, the
 * same that runs are tagged with), and DJL's version.
 */
public final class LabVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String commit = RunProvenance.gitCommit(RunProvenance.projectRoot())
                .map(head -> "git " + head.replace("-dirty", "") + (head.endsWith("-dirty") ? " (with uncommitted changes)" : ""))
                .orElse("git commit unknown");
        return new String[] {"Backprop Lab " + RunProvenance.labVersion() + ", " + commit, "DJL " + Engine.getDjlVersion()};
    }
}
