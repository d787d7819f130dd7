package org.backproplab.core.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns {@code training.device} ({@code auto | cpu | gpu | gpu:N}) into a DJL device. */
public final class DeviceSelector {

    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

    private DeviceSelector() {}

    /**
     * The device to train on.
     *
     * @throws UserFacingException when a GPU is asked for and the engine sees fewer GPUs; DJL's
     *     {@code Device.gpu()} would otherwise be accepted and fail later deep inside PyTorch
     */
    public static Device select(String specification, Engine engine) {
        int gpuCount = engine.getGpuCount();
        if ("auto".equals(specification)) {
            return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
        }
        if ("cpu".equals(specification)) {
            return Device.cpu();
        }
        Matcher gpu = GPU.matcher(specification);
        if (gpu.matches()) {
            int index = gpu.group(1) == null ? 0 : Integer.parseInt(gpu.group(1));
            if (index >= gpuCount) {
                throw new UserFacingException("training.device: " + specification + " was requested but "
                        + (gpuCount == 0 ? "no GPU is visible to PyTorch" : "only " + gpuCount + " GPU(s) are visible")
                        + " (this build bundles the CPU libtorch); use device: cpu or auto");
            }
            return Device.gpu(index);
        }
        throw new UserFacingException("training.device: must be auto, cpu, gpu or gpu:N, got '" + specification + "'");
    }
}
