package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

class MlflowCredentialsTest {

    @Test
    void usernameAndPasswordGiveBasicAuth() {
        MlflowCredentials credentials = MlflowCredentials.fromEnvironment(Map.of(
                "MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", "s3cr3t-pw"));

        String expected = Base64.getEncoder().encodeToString("alice:s3cr3t-pw".getBytes(StandardCharsets.UTF_8));
        assertThat(credentials.authorizationHeader()).contains("Basic " + expected);
        BasicMlflowHostCreds hostCreds = credentials.hostCreds("http://mlflow:5000");
        assertThat(hostCreds.getHost()).isEqualTo("http://mlflow:5000");
        assertThat(hostCreds.getUsername()).isEqualTo("alice");
        assertThat(hostCreds.getPassword()).isEqualTo("s3cr3t-pw");
        assertThat(hostCreds.getToken()).isNull();
    }

    @Test
    void tokenGivesBearerAuth() {
        MlflowCredentials credentials = MlflowCredentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "tok-123"));

        assertThat(credentials.authorizationHeader()).contains("Bearer tok-123");
        assertThat(credentials.hostCreds("https://mlflow").getToken()).isEqualTo("tok-123");
    }

    @Test
    void basicAuthWinsOverTokenAsInPython() {
        MlflowCredentials credentials = MlflowCredentials.fromEnvironment(Map.of(
                "MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", "pw", "MLFLOW_TRACKING_TOKEN", "t"));

        assertThat(credentials.authorizationHeader()).hasValueSatisfying(value -> assertThat(value).startsWith("Basic "));
    }

    @Test
    void noVariablesMeanNoHeader() {
        MlflowCredentials credentials = MlflowCredentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "  "));

        assertThat(credentials.isPresent()).isFalse();
        assertThat(credentials.authorizationHeader()).isEmpty();
        assertThat(credentials.hostCreds("http://x").getUsername()).isNull();
    }

    @Test
    void toStringNeverShowsSecrets() {
        MlflowCredentials basic = MlflowCredentials.basic("alice", "s3cr3t-pw");
        MlflowCredentials token = MlflowCredentials.token("tok-123");

        assertThat(basic.toString()).contains("alice").doesNotContain("s3cr3t-pw")
                .doesNotContain(basic.authorizationHeader().orElseThrow().substring("Basic ".length()));
        assertThat(token.toString()).doesNotContain("tok-123");
        assertThat(MlflowCredentials.none().toString()).contains("none");
    }

    @Test
    void usernameWithoutPasswordIsAnError() {
        assertThatThrownBy(() -> MlflowCredentials.fromEnvironment(Map.of("MLFLOW_TRACKING_USERNAME", "alice")))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("MLFLOW_TRACKING_PASSWORD is not");
    }
}
