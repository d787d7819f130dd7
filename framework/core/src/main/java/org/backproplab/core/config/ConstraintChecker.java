package org.backproplab.core.config;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** Checks the Bean Validation constraints of a bound parameter record. */
final class ConstraintChecker {

    /**
     * One broken constraint.
     *
     * @param property the record component (or, for a rule like {@code isShapeGivenOnce()}, the
     *     property) it concerns; {@code null} for a class-level constraint
     * @param index the list element it concerns, or {@code null}
     * @param message e.g. {@code must be greater than 0}
     * @param invalidValue the offending value
     */
    record Violation(String property, Integer index, String message, Object invalidValue) {}

    /** Built on first use: starting Hibernate Validator takes a moment. Shared and never closed, like a JDBC driver. */
    private static final class Shared {
        static final Validator VALIDATOR = Validation.byDefaultProvider()
                .configure()
                .messageInterpolator(new EnglishMessageInterpolator(new ParameterMessageInterpolator()))
                .buildValidatorFactory()
                .getValidator();
    }

    private ConstraintChecker() {}

    /** The broken constraints, in a stable order. */
    static List<Violation> check(Record value) {
        List<Violation> violations = new ArrayList<>();
        for (ConstraintViolation<Record> violation : Shared.VALIDATOR.validate(value)) {
            String property = null;
            Integer index = null;
            for (Path.Node node : violation.getPropertyPath()) {
                if (property == null && node.getKind() == ElementKind.PROPERTY) {
                    property = node.getName();
                }
                if (node.getIndex() != null) {
                    index = node.getIndex();
                }
            }
            violations.add(new Violation(property, index, violation.getMessage(), violation.getInvalidValue()));
        }
        // Hibernate Validator returns a HashSet; sort so that messages come out the same every time.
        violations.sort(Comparator.comparing((Violation v) -> String.valueOf(v.property()))
                .thenComparing(v -> v.index() == null ? -1 : v.index())
                .thenComparing(Violation::message));
        return violations;
    }
}
