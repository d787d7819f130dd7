package org.backproplab.core.config;

import jakarta.validation.MessageInterpolator;
import java.util.Locale;
import java.util.Map;

/**
 * Bean Validation messages in English whatever the machine's locale, without an expression
 * language on the class path. Hibernate Validator's own DecimalMin/DecimalMax messages need EL for
 * "or equal to"; they are replaced here by equivalent templates chosen from {@code inclusive}.
 */
final class EnglishMessageInterpolator implements MessageInterpolator {

    private static final String DECIMAL_MIN = "{jakarta.validation.constraints.DecimalMin.message}";
    private static final String DECIMAL_MAX = "{jakarta.validation.constraints.DecimalMax.message}";

    private final MessageInterpolator delegate;

    EnglishMessageInterpolator(MessageInterpolator delegate) {
        this.delegate = delegate;
    }

    @Override
    public String interpolate(String messageTemplate, Context context) {
        return interpolate(messageTemplate, context, Locale.ENGLISH);
    }

    @Override
    public String interpolate(String messageTemplate, Context context, Locale locale) {
        return delegate.interpolate(withoutExpressions(messageTemplate, context), context, Locale.ENGLISH);
    }

    private static String withoutExpressions(String template, Context context) {
        Map<String, Object> attributes = context.getConstraintDescriptor().getAttributes();
        boolean inclusive = !Boolean.FALSE.equals(attributes.get("inclusive"));
        return switch (template) {
            case DECIMAL_MIN -> inclusive ? "must be greater than or equal to {value}" : "must be greater than {value}";
            case DECIMAL_MAX -> inclusive ? "must be less than or equal to {value}" : "must be less than {value}";
            default -> template;
        };
    }
}
