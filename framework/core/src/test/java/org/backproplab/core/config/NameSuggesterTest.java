package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameSuggesterTest {

    @Test
    void distanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        assertThat(NameSuggester.distance("lr", "lr")).isZero();
        assertThat(NameSuggester.distance("lrr", "lr")).isEqualTo(1);
        assertThat(NameSuggester.distance("l", "lr")).isEqualTo(1);
        assertThat(NameSuggester.distance("rellu", "relu")).isEqualTo(1);
        assertThat(NameSuggester.distance("trainig", "training")).isEqualTo(1);
        assertThat(NameSuggester.distance("trianing", "training")).isEqualTo(1);
        assertThat(NameSuggester.distance("sgd", "adam")).isEqualTo(4);
    }

    @Test
    void suggestsOnlyTheNearestWithinTheAllowance() {
        assertThat(NameSuggester.nearest("adamm", List.of("adam", "sgd"))).contains("adam");
        assertThat(NameSuggester.nearest("momentun", List.of("lr", "momentum", "weight_decay"))).contains("momentum");
        assertThat(NameSuggester.nearest("LR", List.of("lr", "momentum"))).contains("lr");
        // Two edits are allowed even for a short name; max(2, 12 / 3) = 4 for a long one (here 3 swaps).
        assertThat(NameSuggester.nearest("l_r_", List.of("lr", "seed"))).contains("lr");
        assertThat(NameSuggester.nearest("wieght_dceya", List.of("weight_decay"))).contains("weight_decay");
        assertThat(NameSuggester.nearest("batch_sze", List.of("batch", "batch_size"))).contains("batch_size");
        assertThat(NameSuggester.nearest("nesterov", List.of("lr", "momentum", "weight_decay"))).isEmpty();
        assertThat(NameSuggester.nearest("abc", List.of("xyz"))).isEmpty();
    }

    @Test
    void didYouMeanIsEmptyWithoutASuggestion() {
        assertThat(NameSuggester.didYouMean("relu2", List.of("relu", "tanh"))).isEqualTo("; did you mean 'relu'?");
        assertThat(NameSuggester.didYouMean("softplus", List.of("relu", "tanh"))).isEmpty();
    }
}
