package org.backproplab.core.config;

import java.util.Locale;

/** Record components are camelCase in Java and snake_case in experiment files. */
final class SnakeCase {

    private SnakeCase() {}

    /** {@code batchSize} to {@code batch_size}; {@code maxURLLength} to {@code max_url_length}. */
    static String of(String camelCase) {
        StringBuilder snake = new StringBuilder(camelCase.length() + 4);
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char previous = camelCase.charAt(i - 1);
                boolean nextIsLower = i + 1 < camelCase.length() && Character.isLowerCase(camelCase.charAt(i + 1));
                if (!Character.isUpperCase(previous) || nextIsLower) {
                    snake.append('_');
                }
            }
            snake.append(Character.toLowerCase(c));
        }
        return snake.toString();
    }

    /** How an enum constant is written in experiment files: {@code LEAKY_RELU} is {@code leaky_relu}. */
    static String ofConstant(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
