package org.backproplab.core.report;

import java.awt.image.BufferedImage;

/**
 * A drawn chart and the file it is saved as.
 *
 * @param fileName e.g. {@code gradient-norms.png}
 * @param caption what it shows, for the report's text and the image's alt text
 */
record ChartFile(String fileName, String caption, BufferedImage image) {}
