package com.example.calc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.calc.bindings.arithmetic.Sign;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The component through the generated bindings: its export called, its import implemented. */
class CalculatorTest {
    @Test
    void theBoundExportCallsTheComponent() {
        try (Calculator calculator = new Calculator()) {
            assertEquals(5, calculator.add(2, 3));
            assertEquals(Integer.MIN_VALUE, calculator.add(Integer.MAX_VALUE, 1));
            assertEquals(Sign.NEGATIVE, calculator.classify(-4));
            assertEquals(Sign.ZERO, calculator.classify(0));
            assertEquals(Sign.POSITIVE, calculator.classify(7));
            assertEquals(List.of(5, Integer.MIN_VALUE), calculator.sums(), "the import, implemented in Java");
        }
    }
}
