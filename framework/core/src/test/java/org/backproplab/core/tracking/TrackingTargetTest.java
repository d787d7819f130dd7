package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackingTargetTest {

    private static final Map<String, String> ENV = Map.of("MLFLOW_TRACKING_URI", "http://env:5000");

    @Test
    void commandLineWins() {
        assertThat(TrackingTarget.resolveTrackingUri("http://cli:5000", ENV, "http://yaml:5000"))
                .isEqualTo("http://cli:5000");
    }

    @Test
    void environmentComesBeforeTheExperimentFile() {
        assertThat(TrackingTarget.resolveTrackingUri(null, ENV, "http://yaml:5000")).isEqualTo("http://env:5000");
        assertThat(TrackingTarget.resolveTrackingUri("  ", ENV, "http://yaml:5000")).isEqualTo("http://env:5000");
    }

    @Test
    void experimentFileIsTheLastChoice() {
        assertThat(TrackingTarget.resolveTrackingUri(null, Map.of("MLFLOW_TRACKING_URI", ""), " https://yaml/ "))
                .isEqualTo("https://yaml");
    }

    @Test
    void nothingSetMeansTheEmbeddedServer() {
        assertThat(TrackingTarget.resolveTrackingUri(null, Map.of(), null)).isNull();
        assertThat(TrackingTarget.resolveTrackingUri("", Map.of(), " ")).isNull();
    }

    @Test
    void fileStoresAreRefusedNamingTheSource() {
        assertThatThrownBy(() -> TrackingTarget.resolveTrackingUri(null,
                        Map.of("MLFLOW_TRACKING_URI", "file:///tmp/mlruns"), null))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("file:///tmp/mlruns")
                .hasMessageContaining("MLFLOW_TRACKING_URI")
                .hasMessageContaining("local file store");
        assertThatThrownBy(() -> TrackingTarget.resolveTrackingUri("./mlruns", Map.of(), null))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("--tracking-uri");
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> TrackingTarget.resolveTrackingUri(null, Map.of(), "databricks"))
                .isInstanceOf(TrackingException.class);
        assertThatThrownBy(() -> TrackingTarget.resolveTrackingUri(null, Map.of(), "sqlite:///mlflow.db"))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("http(s)");
    }

    @Test
    void credentialsInAUriAreRedactedAndTurnedIntoBasicAuth() {
        String uri = "http://alice:s%40cret@mlflow.example:5000";

        assertThat(TrackingTarget.redact(uri)).isEqualTo("http://***@mlflow.example:5000");
        assertThat(TrackingTarget.withoutCredentials(uri)).isEqualTo("http://mlflow.example:5000");
        assertThat(TrackingTarget.credentialsIn(uri)).hasValueSatisfying(credentials -> assertThat(
                credentials.authorizationHeader()).hasValue(MlflowCredentials.basic("alice", "s@cret")
                        .authorizationHeader().orElseThrow()));
        assertThat(TrackingTarget.credentialsIn("http://mlflow.example:5000")).isEmpty();
        assertThatThrownBy(() -> TrackingTarget.resolveTrackingUri("ftp://alice:secret@host", Map.of(), null))
                .hasMessageNotContaining("secret");
    }

    @Test
    void workersGetCredentialsThroughTheirEnvironment() {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(MlflowCredentials.TOKEN_VARIABLE, "old"));
        MlflowCredentials.basic("alice", "secret").exportTo(environment);

        assertThat(environment).containsEntry(MlflowCredentials.USERNAME_VARIABLE, "alice")
                .containsEntry(MlflowCredentials.PASSWORD_VARIABLE, "secret")
                .doesNotContainKey(MlflowCredentials.TOKEN_VARIABLE);
    }
}
